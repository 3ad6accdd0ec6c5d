"""A synthetic X archive in the real layout, of any size, for the import benchmark and tests.

Tweets reply to, mention or retweet a pool of counterparts; direct messages go both ways
in one-to-one conversations. Same seed, same archive.
"""

from __future__ import annotations

import json
import random
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

ME = "80000000"
START = datetime(2018, 1, 1, tzinfo=UTC)
WORDS = [
    "community",
    "meetup",
    "coffee",
    "thread",
    "launch",
    "podcast",
    "design",
    "climate",
    "cycling",
    "radio",
    "remote",
    "team",
    "data",
    "journalism",
    "running",
    "jazz",
    "records",
    "fundraising",
    "garden",
    "books",
    "conference",
    "talk",
]


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 18)))


def _tweet_time(moment: datetime) -> str:
    return moment.strftime("%a %b %d %H:%M:%S +0000 %Y")


def write_archive(
    root: Path,
    tweets: int,
    dms: int,
    counterparts: int,
    seed: int = 1,
    zip_it: bool = True,
    tweet_file: str = "tweets.js",
) -> Path:
    """Write `data/*.js` under `root` (and `root.zip` when `zip_it`); returns the path."""
    rng = random.Random(seed)
    data = root / "data"
    data.mkdir(parents=True, exist_ok=True)
    people = [(str(90_000_000 + n), f"user{n}", f"Person {n}") for n in range(counterparts)]
    span = (datetime(2026, 11, 1, tzinfo=UTC) - START).total_seconds()
    (data / "account.js").write_text(
        "window.YTD.account.part0 = "
        + json.dumps(
            [{"account": {"accountId": ME, "username": "sam", "accountDisplayName": "Sam"}}]
        )
    )
    with (data / tweet_file).open("w", encoding="utf-8") as out:
        out.write(f"window.YTD.{tweet_file.removesuffix('.js').replace('-', '_')}.part0 = [")
        for n in range(tweets):
            when = START + timedelta(seconds=rng.random() * span)
            who = rng.sample(people, k=rng.choice((1, 1, 1, 2)))
            kind = rng.random()
            mentions = [
                {
                    "name": name,
                    "screen_name": handle,
                    "indices": ["0", "9"],
                    "id_str": uid,
                    "id": uid,
                }
                for uid, handle, name in who
            ]
            tweet = {
                "retweeted": False,
                "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
                "entities": {"hashtags": [], "symbols": [], "user_mentions": mentions, "urls": []},
                "display_text_range": ["0", "140"],
                "favorite_count": str(rng.randint(0, 40)),
                "id_str": str(1_000_000_000_000_000_000 + n),
                "truncated": False,
                "retweet_count": "0",
                "id": str(1_000_000_000_000_000_000 + n),
                "created_at": _tweet_time(when),
                "favorited": False,
                "lang": "en",
            }
            first = who[0]
            if kind < 0.5:
                tweet["full_text"] = f"@{first[1]} {_sentence(rng)}"
                tweet["in_reply_to_user_id_str"] = first[0]
                tweet["in_reply_to_user_id"] = first[0]
                tweet["in_reply_to_screen_name"] = first[1]
                tweet["in_reply_to_status_id_str"] = str(rng.randint(10**17, 10**18))
            elif kind < 0.8:
                tweet["full_text"] = " ".join(f"@{h}" for _, h, _ in who) + " " + _sentence(rng)
            else:
                tweet["full_text"] = f"RT @{first[1]}: {_sentence(rng)}"
            out.write(("\n  " if n == 0 else ",\n  ") + json.dumps({"tweet": tweet}, indent=2))
        out.write("\n]")
    with (data / "direct-messages.js").open("w", encoding="utf-8") as out:
        out.write("window.YTD.direct_messages.part0 = [")
        per = max(1, dms // max(1, counterparts))
        written = 0
        for n, (uid, _, _) in enumerate(people):
            if written >= dms:
                break
            count = min(per, dms - written) if n < counterparts - 1 else dms - written
            messages = []
            for k in range(count):
                when = START + timedelta(seconds=rng.random() * span)
                mine = rng.random() < 0.5
                messages.append(
                    {
                        "messageCreate": {
                            "recipientId": uid if mine else ME,
                            "reactions": [],
                            "urls": [],
                            "text": _sentence(rng),
                            "mediaUrls": [],
                            "senderId": ME if mine else uid,
                            "id": str(2_000_000_000_000_000_000 + written + k),
                            "createdAt": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                        }
                    }
                )
            written += count
            conversation = {
                "dmConversation": {"conversationId": f"{uid}-{ME}", "messages": messages}
            }
            out.write(("\n  " if n == 0 else ",\n  ") + json.dumps(conversation, indent=2))
        out.write("\n]")
    (data / "follower.js").write_text(
        "window.YTD.follower.part0 = "
        + json.dumps(
            [{"follower": {"accountId": uid}} for uid, _, _ in people[: counterparts // 2]]
        )
    )
    if not zip_it:
        return root
    target = root.with_suffix(".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        for file in sorted(data.iterdir()):
            z.write(file, f"data/{file.name}")
    return target
