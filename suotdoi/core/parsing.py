"""Reading values that arrive as text (URL parts, form fields) without raising."""


def int_or(value, default: int = -1) -> int:
    """`value` as an int, or `default` (-1 matches no row) when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def seeded_draw(bank: list, n: int, seed: str, choices_of) -> list[tuple]:
    """A quiz attempt: `n` items of `bank` (all when 0 or more than there are) in a shuffled
    order, each with the order its answers are shown in, all from `seed`. The page and the
    scoring call this with the same seed, so the draw needs no storing and a new attempt
    (a new seed) gets a new draw."""
    import random

    rng = random.Random(seed)  # noqa: S311 - an order of questions, not a secret
    drawn = rng.sample(bank, n) if 0 < n < len(bank) else rng.sample(bank, len(bank))
    out = []
    for item in drawn:
        order = list(range(len(choices_of(item))))
        rng.shuffle(order)
        out.append((item, order))
    return out
