from panelapp.domain.naming import child_label, initials
from panelapp.domain.vocabulary import NamingMode


def test_minutes_can_name_a_child_in_full_by_initials_or_by_reference_only():
    assert child_label("Oliver", "Grant", "NB-1", NamingMode.FULL) == "Oliver Grant (NB-1)"
    assert child_label("Oliver", "Grant", "NB-1", NamingMode.INITIALS) == "OG (NB-1)"
    assert child_label("Oliver", "Grant", "NB-1", NamingMode.REFERENCE) == "NB-1"


def test_initials_cover_double_barrelled_and_middle_names():
    assert initials("Mary Anne", "Smith-Jones") == "MAS"
