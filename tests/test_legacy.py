"""Tests of helpers.cleaning.legacy: TCVN3 and VNI tables, round trips and detection on real Vietnamese strings."""

import pytest

from helpers.cleaning.legacy import (detect_legacy, fix_legacy, tcvn3_to_unicode, unicode_to_tcvn3, unicode_to_vni,
                            vni_to_unicode)

REAL = [
    "Hoàn thành tốt nhiệm vụ", "Trong sạch vững mạnh tiêu biểu", "Không hoàn thành nhiệm vụ",
    "Đảng bộ xã Tri Phương, huyện Tràng Định",           # seed 004 mentions đảng bộ xã Tri Phương
    "Đảng uỷ khối các cơ quan tỉnh Lạng Sơn", "Chi bộ thôn Khuổi Lạn", "YẾU KÉM", "Ủy ban nhân dân",
]


@pytest.mark.parametrize("text", REAL)
def test_round_trip_tcvn3_and_vni(text):
    assert tcvn3_to_unicode(unicode_to_tcvn3(text)) == text
    assert vni_to_unicode(unicode_to_vni(text)) == text


def test_tcvn3_known_bytes():
    # glibc charmap TCVN5712-1: /xb5 = U+00E0 à, /xe8 = U+1ED1 ố, /xd6 = U+1EC7 ệ, /xf4 = U+1EE5 ụ,
    # /xa7 = U+0110 Đ, /xb6 = U+1EA3 ả.
    assert unicode_to_tcvn3("Hoàn thành tốt nhiệm vụ") == "Ho\xb5n th\xb5nh t\xe8t nhi\xd6m v\xf4"
    assert tcvn3_to_unicode("\xa7\xb6ng") == "Đảng"


def test_vni_table_matches_a_published_code_table():
    # VNI-Windows code table (e.g. the VNI_WINDOWS_TABLE of the VBKey converter, read as Windows-1252):
    # à=aø á=aù ả=aû ã=aõ ạ=aï, ầ=aà ấ=aá ẩ=aå ẫ=aã ậ=aä, ằ=aè ắ=aé ẳ=aú ẵ=aü ặ=aë, đ=ñ,
    # ì=ì í=í ỉ=æ ĩ=ó ị=ò, ơ=ô ớ=ôù, ư=ö ự=öï, ỵ=î.
    pairs = {"à": "aø", "á": "aù", "ả": "aû", "ã": "aõ", "ạ": "aï", "ầ": "aà", "ấ": "aá", "ẩ": "aå", "ẫ": "aã",
             "ậ": "aä", "ằ": "aè", "ắ": "aé", "ẳ": "aú", "ẵ": "aü", "ặ": "aë", "đ": "ñ", "ì": "ì", "í": "í",
             "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ơ": "ô", "ớ": "ôù", "ư": "ö", "ự": "öï", "ỵ": "î", "ệ": "eä"}
    for uni, vni in pairs.items():
        assert unicode_to_vni(uni) == vni, uni
        assert vni_to_unicode(vni) == uni, vni


@pytest.mark.parametrize("text", REAL)
def test_detect_legacy_finds_each_encoding_and_leaves_unicode_alone(text):
    assert detect_legacy(unicode_to_tcvn3(text)).encoding == "tcvn3"
    assert detect_legacy(unicode_to_vni(text)).encoding == "vni"
    assert detect_legacy(text).encoding is None


def test_detect_legacy_on_a_block_and_bytes_read_as_cp1252():
    block = "\n".join(REAL)
    raw = unicode_to_tcvn3(block).encode("latin-1")
    assert fix_legacy(raw.decode("cp1252")) == (block, "tcvn3")
    assert fix_legacy(unicode_to_vni(block).encode("latin-1").decode("cp1252")) == (block, "vni")


def test_detect_legacy_leaves_other_languages_alone():
    assert detect_legacy("Café Paris, résumé, naïve").encoding is None
    assert detect_legacy("TSVM; HTTNV; 2018").encoding is None
