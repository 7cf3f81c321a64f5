import pytest

from ankommen.algorithms.names import name_keys, query_keys


@pytest.mark.parametrize(
    "variants",
    [
        ["Mohammed", "Muhammad", "Mohamad", "محمد", "Мухаммед"],
        ["Yusuf", "Youssef", "Jussuf", "Yousef"],
        ["Ahmad", "Ahmed", "Achmed"],
        ["Hussein", "Husain", "Hossein"],
        ["Olena", "Алена"],
        ["Olga", "Ольга"],
        ["Oleksandr", "Олександр", "Aleksandr"],
        ["Khaled", "Chaled"],
        ["Müller", "Mueller"],
    ],
)
def test_transliteration_variants_share_a_key(variants):
    keys = [name_keys(variant) for variant in variants]
    assert all(k == keys[0] for k in keys), dict(zip(variants, keys, strict=True))


def test_different_names_have_different_keys():
    assert name_keys("Mohammed") != name_keys("Fatima")
    assert name_keys("Olga") != name_keys("Olena")


def test_particles_are_ignored_but_a_name_of_only_particles_is_kept():
    assert name_keys("al-Hassan") == name_keys("Hassan")
    assert name_keys("Abu") != set()


def test_query_keys_keep_order_and_drop_duplicates():
    assert query_keys("Muhammad Mohammed Ali") == [*name_keys("Muhammad"), *name_keys("Ali")]


def test_empty_and_symbol_only_names_have_no_keys():
    assert name_keys("") == set()
    assert query_keys("--- !!") == []
