from pathlib import Path

import pytest

from engine.core.tables import parse_number, read_table, read_table_bytes


@pytest.mark.parametrize(("text", "expected"), [
    ("1008.1", 1008.1), ("1 008,1", 1008.1), ("1\u00a0008,1", 1008.1), ("1,008.1", 1008.1),
    ("1.008,1", 1008.1), ("-3,5", -3.5), ("1e9", 1e9), ("14 584,4", 14584.4), ("1 234 567", 1234567.0),
    (" 42 ", 42.0),
])
def test_parse_number_reads_planners_notations(text, expected):
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "12abc", "1-2", "--1"])
def test_parse_number_refuses_text(text):
    assert parse_number(text) is None


def test_bom_semicolons_crlf_and_blank_lines(tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffunit_id;year;value\r\n\r\natyrau;2019;14 584,4\r\n\r\n".encode())
    table, problems = read_table(path)
    assert problems == []
    assert table.header == ["unit_id", "year", "value"]
    assert table.rows == [(3, ["atyrau", "2019", "14 584,4"])]


def test_cp1251_text_is_decoded():
    data = "регион;год;значение\nАтырауская область;2019;1\n".encode("cp1251")
    table, problems = read_table_bytes(data, "ru.csv")
    assert problems == []
    assert table.rows[0][1][0] == "Атырауская область"


@pytest.mark.parametrize(("data", "message"), [
    (b"", "file is empty"),
    (b"   \n\n", "file is empty"),
    (b"\x00\x01\x02binary", "not a text table"),
    (b"PK\x03\x04garbage", "not a text table and not a valid XLSX"),
    (b"onlyonecolumn\nx\n", "single column"),
])
def test_unreadable_files_are_refused_with_their_own_message(data, message):
    table, problems = read_table_bytes(data, "bad.csv")
    assert table is None
    assert message in str(problems[0])


def test_size_limit(tmp_path: Path):
    path = tmp_path / "big.csv"
    path.write_text("a,b\n" + "1,2\n" * 100)
    table, problems = read_table(path, max_bytes=100)
    assert table is None
    assert "larger than the limit" in str(problems[0])
