"""Phone numbers shown in Norwegian groups (issue 8 §5): stored in E.164, read as a Norwegian reads them."""
from functions.core.phones import display


def test_norwegian_numbers_are_grouped_as_norwegians_write_them():
    assert display("+4741234524") == "+47 41 23 45 24"
    assert display("+4722001100") == "+47 22 00 11 00"


def test_foreign_numbers_follow_their_country_and_nonsense_is_left_as_it_is():
    assert display("+46701234567") == "+46 70 123 45 67"
    assert display("not a number") == "not a number"
    assert display(None) == "" and display("") == ""
