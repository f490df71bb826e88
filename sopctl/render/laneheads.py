"""The lane names over the terminal swimlane: centred over their lanes, never run together."""

from __future__ import annotations

from rich.cells import cell_len

from sopctl.render.cells import Cell, columns


def lane_names(names: list[str], spans: list[tuple[int, int]], width: int) -> list[list[Cell]]:
    """The lane names over their lanes, each centred, on as few lines as they fit: names
    that would run together ("KasubagPortal") move a column apart where their lanes leave
    room, else the names with spaces are wrapped ("T. Kerja" over "T." and "Kerja")."""
    split = [[name] for name in names]
    placed = _place(names, spans)
    if placed is None:
        room = min(end - start for start, end in spans) - 1
        split = [_folded(name, room) if cell_len(name) >= room else [name] for name in names]
    lines: list[list[Cell]] = [[(" ", "")] * width for _ in range(max(len(x) for x in split))]
    for depth, line in enumerate(lines):
        texts = [parts[depth] if depth < len(parts) else "" for parts in split]
        lefts = _place(texts, spans) or [
            start + (end - start - cell_len(x)) // 2 for x, (start, end) in zip(texts, spans, strict=True)
        ]
        for text, left, (start, end) in zip(texts, lefts, spans, strict=True):
            label = columns(text, "bold")[: end - start]
            line[left : left + len(label)] = label
    return lines


def _folded(name: str, room: int) -> list[str]:
    """``name`` on lines of at most ``room`` columns, broken at its spaces only."""
    lines: list[str] = []
    for word in name.split():
        if lines and cell_len(f"{lines[-1]} {word}") <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines


def _place(texts: list[str], spans: list[tuple[int, int]]) -> list[int] | None:
    """Where each text begins: centred in its span, moved a column aside where it would touch
    the one before it; None when two still touch."""
    lefts = [start + (end - start - cell_len(x)) // 2 for x, (start, end) in zip(texts, spans, strict=True)]
    for i in range(1, len(texts)):
        if not texts[i] or not texts[i - 1]:
            continue
        if lefts[i - 1] + cell_len(texts[i - 1]) < lefts[i]:
            continue
        if lefts[i] + cell_len(texts[i]) < spans[i][1]:  # room on the right of its lane
            lefts[i] += 1
        elif lefts[i - 1] > spans[i - 1][0] and (
            i < 2 or lefts[i - 2] + cell_len(texts[i - 2]) < lefts[i - 1] - 1
        ):
            lefts[i - 1] -= 1
        if lefts[i - 1] + cell_len(texts[i - 1]) >= lefts[i]:
            return None
    return lefts
