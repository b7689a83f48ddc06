from engine.core.i18n import LANGUAGES, all_keys, format_number, format_percent, format_value, indicator_name, t


def test_three_languages():
    assert LANGUAGES == ("kk", "ru", "en")


def test_kazakh_labels_use_kazakh_letters():
    kazakh_letters = set("әғқңөұүһі")
    assert any(kazakh_letters & set(t(key, "kk")) for key in all_keys())


def test_lookup_and_format():
    assert t("page_data", "ru") == "Данные"
    assert t("no_such_key", "kk") == "no_such_key"
    assert t("validation_failed", "en", count=3).startswith("3 problem")
    assert format_number(1008.1, "kk") == "1\u00a0008,1"
    assert format_number(-2.5, "en", 2) == "-2.50"


def test_one_formatter_for_every_language():
    assert format_percent(0.015, "ru") == "1,5\u00a0%"
    assert format_percent(0.015, "kk") == "1,5%"
    assert format_value(3.59e-08, "kk", sig=3) == "3,59E-08"
    assert format_value(None, "en") == "\u2014"
    assert format_value(0.12, "en", 0, percent=True, sign=True) == "+12%"


def test_indicator_ids_have_names():
    assert indicator_name("grp_per_capita_2022bnd", "ru") == "ВРП на душу населения (границы 2022 года)"
    assert indicator_name("poverty_rate_quarterly_q3", "kk") == "Кедейлік деңгейі (3-тоқсан)"
