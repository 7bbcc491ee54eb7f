import pytest
from django.core.exceptions import ValidationError

from suotdoi.core.text import fold, given_name, name_sort_key
from suotdoi.core.vn import display_phone, mask_cccd, normalise_cccd, normalise_phone


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Nguyễn Thị Mai", "nguyen thi mai"),
        ("ĐẶNG Văn Đức", "dang van duc"),
        ("  Hồ   Xuân  Hương ", "ho xuan huong"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_is_diacritic_blind(raw, folded):
    assert fold(raw) == folded


def test_vietnamese_names_sort_by_given_name():
    names = ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Cường", "Phạm Thị Ánh"]
    ordered = sorted(names, key=name_sort_key)
    assert [given_name(n) for n in ordered] == ["An", "Ánh", "Bình", "Cường"]


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "+84 912 345 678",
        "84912345678",
        "+84912345678",
        "(091) 234-5678",
    ],
)
def test_phone_formats_normalise_to_e164(raw):
    assert normalise_phone(raw) == "+84912345678"


@pytest.mark.parametrize("raw", ["12345", "091234567890123", "abc", "0112345678"])
def test_bad_phones_are_refused(raw):
    with pytest.raises(ValidationError):
        normalise_phone(raw)


def test_phone_is_shown_the_vietnamese_way():
    assert display_phone("+84912345678") == "0912 345 678"


def test_cccd_has_exactly_twelve_digits():
    assert normalise_cccd("001 090 012 345") == "001090012345"
    for bad in ["00109001234", "0010900123456", "00109001234a"]:
        with pytest.raises(ValidationError):
            normalise_cccd(bad)
    assert mask_cccd("001090012345") == "•••••••••345"
