"""Which screen a wall-screen link shows at a given second."""

from __future__ import annotations

from cxroom.models import DisplayPlaylist
from cxroom.ui.display.playlist import page_count, slot_at, slots


def test_pages_split_stages_evenly() -> None:
    assert [page_count(n) for n in (1, 4, 6, 7, 10, 12, 13, 16)] == [1, 1, 1, 2, 2, 2, 3, 3]


def test_the_playlist_runs_wall_pages_then_spotlights_then_fixes_then_celebrations() -> None:
    playlist = DisplayPlaylist(wall_s=10, spotlight_s=5, fixes_s=8, celebrations_s=4)
    found = slots(playlist, stages=7, fixes=3, celebrations=2)
    assert [(s.kind, s.index) for s in found] == [
        ("wall", 0),
        ("wall", 1),
        *[("spotlight", i) for i in range(7)],
        ("fixes", 0),
        ("celebrations", 0),
    ]
    cycle = 2 * 10 + 7 * 5 + 8 + 4
    assert slot_at(found, 0)[0].kind == "wall" and slot_at(found, 0)[1] == 10
    assert slot_at(found, 12)[0].index == 1 and slot_at(found, 12)[1] == 8
    assert slot_at(found, 20)[0].kind == "spotlight"
    assert slot_at(found, 54.5)[0].index == 6
    assert slot_at(found, 55)[0].kind == "fixes"
    assert slot_at(found, cycle - 1)[0].kind == "celebrations"
    assert slot_at(found, cycle + 12)[0] == slot_at(found, 12)[0]  # the cycle repeats on the clock


def test_screens_left_out_or_with_nothing_to_show_are_skipped() -> None:
    only_wall = DisplayPlaylist(wall_s=30, spotlight_s=0, fixes_s=0, celebrations_s=0)
    assert [s.kind for s in slots(only_wall, stages=3, fixes=3, celebrations=2)] == ["wall"]
    nothing_won = slots(DisplayPlaylist(), stages=2, fixes=3, celebrations=0)
    assert [s.kind for s in nothing_won] == ["wall", "spotlight", "spotlight", "fixes"]
    assert slot_at(slots(only_wall, stages=0, fixes=0, celebrations=0), 45)[1] == 15


def test_a_long_fix_board_and_many_wins_take_even_pages_each_with_its_turn() -> None:
    playlist = DisplayPlaylist(wall_s=10, spotlight_s=0, fixes_s=8, celebrations_s=4)
    found = slots(playlist, stages=3, fixes=22, celebrations=7)
    assert [(s.kind, s.index, s.count) for s in found] == [
        ("wall", 0, 1),
        ("fixes", 0, 3),
        ("fixes", 1, 3),
        ("fixes", 2, 3),
        ("celebrations", 0, 2),
        ("celebrations", 1, 2),
    ]
    assert [s.seconds for s in found] == [10, 8, 8, 8, 4, 4]  # every page for the screen's seconds
    assert [s.count for s in slots(playlist, stages=3, fixes=8, celebrations=6)[1:]] == [1, 1]
    assert [s.count for s in slots(playlist, stages=3, fixes=9, celebrations=1)[1:]] == [2, 2, 1]
