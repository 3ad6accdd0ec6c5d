import pytest

from kith.domain.identity import HandleError, normalise, parse_reference


@pytest.mark.parametrize(
    ("platform", "given", "expected"),
    [
        ("x", "@AnaExample", "anaexample"),
        ("x", "https://twitter.com/AnaExample", "anaexample"),
        ("x", "x.com/anaexample/", "anaexample"),
        ("email", "Ana@Example.ORG", "ana@example.org"),
        ("email", "mailto:ana@example.org", "ana@example.org"),
        ("phone", "+1 (312) 555-0142", "+13125550142"),
        ("phone", "(312) 555-0142", "+13125550142"),
        ("whatsapp", "+351 912 345 678", "+351912345678"),
        ("linkedin", "https://www.linkedin.com/in/Ana-Example/", "ana-example"),
        ("linkedin", "linkedin.com/in/ana-example", "ana-example"),
        ("mastodon", "@ana@Mastodon.Social", "ana@mastodon.social"),
        ("mastodon", "https://mastodon.social/@ana", "ana@mastodon.social"),
        ("mastodon", "https://mastodon.social/users/ana", "ana@mastodon.social"),
        ("bluesky", "@ana.bsky.social", "ana.bsky.social"),
        ("bluesky", "https://bsky.app/profile/ana.bsky.social", "ana.bsky.social"),
        ("web", "https://www.Example.org/about/", "example.org/about"),
    ],
)
def test_handles_are_written_one_way(platform, given, expected):
    assert normalise(platform, given) == expected


@pytest.mark.parametrize(
    ("platform", "given"),
    [("email", "not-an-address"), ("phone", "12"), ("mastodon", "ana"), ("sms", "x"), ("x", " ")],
)
def test_unreadable_handles_raise_a_sentence(platform, given):
    with pytest.raises(HandleError) as err:
        normalise(platform, given)
    assert str(err.value).endswith(".")


def test_references_need_a_known_platform():
    ref = parse_reference("x:ana")
    assert ref is not None
    assert (ref.platform, ref.handle) == ("x", "ana")
    assert parse_reference("bluesky:did:plc:abc") is not None
    assert parse_reference("Dr: Who") is None
    assert parse_reference("Ana Example") is None


def test_display_names_are_identities_within_one_platform_only():
    assert normalise("facebook", "name:Ana  Example") == "name:ana example"
    assert normalise("whatsapp", "name:Ana Example") == "name:ana example"
    with pytest.raises(HandleError):
        normalise("email", "name:Ana Example")


def test_percent_encoded_linkedin_profiles_are_one_identity():
    assert normalise("linkedin", "https://www.linkedin.com/in/zo%C3%AB-example") == "zoë-example"
    assert normalise("linkedin", "linkedin.com/in/Zoë-Example") == "zoë-example"


def test_numeric_facebook_profiles_keep_their_id():
    link = "https://www.facebook.com/profile.php?id=100012345678"
    assert normalise("facebook", link) == "id:100012345678"
    assert normalise("facebook", "https://facebook.com/ana.example") == "ana.example"
    with pytest.raises(HandleError):
        normalise("facebook", "https://www.facebook.com/profile.php")


@pytest.mark.parametrize("platform", ["x", "web", "linkedin", "mastodon", "bluesky", "facebook"])
@pytest.mark.parametrize(
    "given", ["['90000001', '90000001']", "https://[not-an-address]/ana", "https://host:port/ana"]
)
def test_text_that_only_looks_like_a_link_is_a_sentence_not_a_crash(platform, given):
    """Found by fuzzing: brackets read as an IPv6 host that is none made Python's URL parser
    raise ValueError in the middle of an import."""
    try:
        handle = normalise(platform, given)
    except HandleError as err:
        sentence = str(err)
    else:
        sentence = "."
        assert handle.strip()  # a handle of some kind (LinkedIn keeps what it is given)
    assert sentence.endswith(".")
