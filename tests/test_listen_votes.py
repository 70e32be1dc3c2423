"""The vote store and the page's API: idempotent submits, concurrent raters, token, blind responses."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from optimize.listen.pack import build_pack, manifest_digest
from optimize.listen.server import create_app, rater_order
from optimize.listen.sources import clips_from_path
from optimize.listen.votes import VoteConflict, VoteStore
from tools.errors import ConfigError

from listen_support import write_renders


@pytest.fixture(scope="module")
def pack_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("listen")
    folders = write_renders(root / "renders", items=4)
    clips = [c for name, folder in folders.items() for c in clips_from_path(name, folder)]
    build_pack(clips, root / "pack", seed=1)
    return root / "pack"


def test_same_key_twice_is_one_vote(tmp_path):
    store = VoteStore(tmp_path / "v.sqlite", "digest")
    first, created = store.record(idem_key="k" * 16, rater="ann", pair_id="p0001", choice="A", vibe_a=4)
    again, created_again = store.record(idem_key="k" * 16, rater="ann", pair_id="p0001", choice="A", vibe_a=4)
    assert created and not created_again and again == first and len(store.all_votes()) == 1
    with pytest.raises(VoteConflict, match="different vote"):
        store.record(idem_key="k" * 16, rater="ann", pair_id="p0001", choice="B")
    with pytest.raises(VoteConflict, match="already voted"):
        store.record(idem_key="j" * 16, rater="ann", pair_id="p0001", choice="B")
    store.record(idem_key="m" * 16, rater="bob", pair_id="p0001", choice="B")
    assert [(v.rater, v.choice, v.vibe_a) for v in store.all_votes()] == [("ann", "A", 4), ("bob", "B", None)]
    with pytest.raises(ValueError, match="ratings run from 1 to 5"):
        store.record(idem_key="n" * 16, rater="cy", pair_id="p0001", choice="A", vibe_b=9)
    with pytest.raises(ConfigError, match="another pack"):
        VoteStore(tmp_path / "v.sqlite", "other digest")


def test_concurrent_raters_and_double_submits(tmp_path):
    """16 raters x 12 pairs, every ballot sent twice (the copies run side by side) from 16 threads: each counted once."""
    path = tmp_path / "v.sqlite"
    VoteStore(path, "d")
    ballots = [(f"r{r}", f"p{p:04d}", "AB"[(r + p) % 2], f"key-{r}-{p}-xxxx") for r in range(16) for p in range(12)]

    def send(ballot):
        rater, pair, choice, key = ballot
        store = VoteStore(path, "d")  # each thread its own connection, as server threads do
        return store.record(idem_key=key, rater=rater, pair_id=pair, choice=choice)[1]

    with ThreadPoolExecutor(16) as pool:
        created = list(pool.map(send, [b for b in ballots for _ in range(2)]))
    votes = VoteStore(path, "d").all_votes()
    assert sum(created) == len(ballots) == len(votes) == 192
    assert sorted((v.rater, v.pair_id, v.choice) for v in votes) == sorted(b[:3] for b in ballots)


def test_api_serves_blind_pairs_and_counts_a_retry_once(pack_dir, tmp_path):
    client = TestClient(create_app(pack_dir, tmp_path / "votes.sqlite"))
    page = client.get("/")
    assert page.status_code == 200 and "https://" not in page.text and "http://" not in page.text  # nothing from outside
    assert "http" not in client.get("/static/app.js").text.replace("http-equiv", "")
    nxt = client.get("/api/next", params={"rater": "ann"}).json()
    assert nxt["done"] == 0 and nxt["total"] == 4
    pair = nxt["pair"]
    assert set(pair) == {"id", "brief", "a", "b"}  # no system, item or source reaches the browser
    assert "tone" not in str(pair) and "noise" not in str(pair)
    assert client.get(pair["a"]).headers["content-type"] == "audio/wav"
    assert client.get("/audio/../manifest.json").status_code == 404
    ballot = {"rater": "ann", "pair_id": pair["id"], "choice": "B", "vibe_a": 2, "vibe_b": 5, "key": "abcdef0123456789"}
    assert client.post("/api/vote", json=ballot).json()["created"] is True
    retry = client.post("/api/vote", json=ballot)
    assert retry.status_code == 200 and retry.json()["created"] is False
    assert client.post("/api/vote", json={**ballot, "key": "another-key-123"}).status_code == 409
    assert client.post("/api/vote", json={**ballot, "pair_id": "p9999", "key": "k-999999"}).status_code == 422
    assert client.post("/api/vote", json={**ballot, "choice": "C", "key": "k-888888"}).status_code == 422
    assert client.get("/api/next", params={"rater": "<script>"}).status_code == 422
    after = client.get("/api/next", params={"rater": "ann"}).json()
    assert after["done"] == 1 and after["pair"]["id"] != pair["id"]
    store = VoteStore(tmp_path / "votes.sqlite", manifest_digest(pack_dir))
    assert [(v.pair_id, v.choice, v.vibe_a, v.vibe_b) for v in store.all_votes()] == [(pair["id"], "B", 2, 5)]


def test_each_rater_has_own_stable_order(pack_dir):
    assert rater_order(4, 1, "ann") == rater_order(4, 1, "ann")
    orders = {tuple(rater_order(12, 1, f"r{i}")) for i in range(10)}
    assert len(orders) > 5 and all(sorted(o) == list(range(12)) for o in orders)


def test_token_guards_everything(pack_dir, tmp_path):
    client = TestClient(create_app(pack_dir, tmp_path / "v.sqlite", token="s3cret"))
    assert client.get("/static/app.js").status_code == 200  # the script holds nothing of the pack
    for url in ("/", "/api/next?rater=ann"):
        assert client.get(url).status_code == 401
        assert client.get(url + ("&" if "?" in url else "?") + "token=wrong").status_code == 401
        assert client.get(url, headers={"X-Listen-Token": "s3cret"}).status_code == 200
    pair = client.get("/api/next?rater=ann&token=s3cret").json()["pair"]
    assert client.get(pair["a"]).status_code == 401 and client.get(pair["a"] + "?token=s3cret").status_code == 200
