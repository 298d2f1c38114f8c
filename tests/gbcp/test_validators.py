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


def test_a_credit_code_written_with_a_space_or_in_lower_case_is_valid_and_stored_compact(db):
    from apps.gbcp import services
    from apps.gbcp.validators import is_valid_uscc, normalise_uscc

    assert is_valid_uscc("91360101 3EFBY6MJ59") and is_valid_uscc("913601013efby6mj59")
    assert normalise_uscc(" 91360101-3EFBY6MJ59 ") == "913601013EFBY6MJ59"
    entity = services.entity_create(user=None, name="空格测试有限公司", uscc="91360101 3EFBY6MJ59")
    assert entity.uscc == "913601013EFBY6MJ59"


def test_the_validators_agree_with_python_stdnum_on_generated_codes():
    import random

    from stdnum.cn import ric, uscc

    from apps.gbcp.validators import USCC_CHARSET, id_check_char, is_valid_resident_id, is_valid_uscc, uscc_check_char

    rng = random.Random(7)
    for _ in range(2000):
        body = f"91{rng.choice(['110101', '110105', '310115'])}" + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
        code = body + uscc_check_char(body)
        assert is_valid_uscc(code) and uscc.is_valid(code)
        wrong = body + USCC_CHARSET[(USCC_CHARSET.index(code[-1]) + 1) % 31]
        assert not is_valid_uscc(wrong)
        first17 = f"110105{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        number = first17 + id_check_char(first17)
        assert is_valid_resident_id(number) and ric.is_valid(number)


def test_the_city_code_docstring_example_is_valid():
    from apps.gbcp import citycode

    assert citycode.is_valid("110101P00000042W") and not citycode.is_valid("110101P00000042K")
