from apps.gbcp.validators import id_check_char, is_valid_resident_id, is_valid_uscc, uscc_check_char

# Published examples: a USCC from GB 32100-2015 practice and the ID number from GB 11643-1999.
VALID_USCC = "91350100M000100Y43"
VALID_ID = "11010519491231002X"


def test_it_accepts_a_valid_unified_social_credit_code():
    assert is_valid_uscc(VALID_USCC)
    assert uscc_check_char(VALID_USCC[:17]) == "3"


def test_it_rejects_a_corrupted_unified_social_credit_code():
    assert not is_valid_uscc(VALID_USCC[:-1] + "4")
    assert not is_valid_uscc(VALID_USCC[:5] + "7" + VALID_USCC[6:])
    # I, O, S, V, Z are not in the character set.
    assert not is_valid_uscc("I" + VALID_USCC[1:])
    assert not is_valid_uscc(VALID_USCC[:-1])
    assert not is_valid_uscc("")


def test_it_accepts_a_valid_resident_id_with_x():
    assert is_valid_resident_id(VALID_ID)
    assert is_valid_resident_id(VALID_ID.lower())
    assert id_check_char(VALID_ID[:17]) == "X"


def test_it_rejects_a_corrupted_resident_id():
    assert not is_valid_resident_id(VALID_ID[:-1] + "1")
    assert not is_valid_resident_id("110105194912310021")
    # A valid check character on an impossible birth date is still wrong.
    body = "11010519490231002"
    assert not is_valid_resident_id(body + id_check_char(body))
    assert not is_valid_resident_id("1101051949123100")
