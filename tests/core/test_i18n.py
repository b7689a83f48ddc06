from engine.core.i18n import _TEXT, LANGUAGES, format_number, t


def test_every_label_has_all_three_languages():
    missing = [key for key, texts in _TEXT.items() if any(not text.strip() for text in texts)]
    assert missing == []
    assert len(LANGUAGES) == 3


def test_kazakh_labels_use_kazakh_letters():
    kazakh_letters = set("әғқңөұүһі")
    assert any(kazakh_letters & set(t(key, "kk")) for key in _TEXT)


def test_lookup_and_format():
    assert t("page_data", "ru") == "Данные"
    assert t("no_such_key", "kk") == "no_such_key"
    assert t("validation_failed", "en", count=3).startswith("3 problem")
    assert format_number(1008.1, "kk") == "1\u00a0008,1"
    assert format_number(-2.5, "en", 2) == "-2.50"
