import pytest

from kith.domain import GeoPoint
from kith.domain.places import distance_km
from kith.errors import Ambiguous, NotFound
from kith.gazetteer import lookup


def test_common_spellings_resolve():
    assert lookup("Chicago").label == "Chicago, IL, US"
    assert lookup("Chicago, US").label == "Chicago, IL, US"
    assert lookup("Portland, OR").label == "Portland, OR, US"
    assert lookup("portland, oregon").label == "Portland, OR, US"
    assert lookup("Lisboa, Portugal").label == "Lisbon, PT"
    assert lookup("Paris").country == "FR"  # far larger than any other Paris


def test_ambiguous_names_list_the_candidates():
    with pytest.raises(Ambiguous) as err:
        lookup("Portland")
    assert "Portland, OR, US" in err.value.message
    assert "Portland, ME, US" in err.value.message


def test_unknown_city_is_not_found():
    with pytest.raises(NotFound):
        lookup("Nowhereville")
    with pytest.raises(NotFound):
        lookup("Chicago, FR")


def test_distance_between_known_cities():
    chicago, portland = lookup("Chicago"), lookup("Portland, OR")
    km = distance_km(GeoPoint(chicago.lat, chicago.lon), GeoPoint(portland.lat, portland.lon))
    assert 2800 < km < 2850
