import pandas as pd

from align.frames import joined


def test_joined_texts_per_key_in_row_order_keys_sorted():
    keys = pd.Series(["29-1141", "11-1021", "29-1141"], name="soc_code")
    texts = pd.Series(["College B: 4.0", "College A: 2.5", "College A: 1.0"], name="text")
    out = joined(keys, texts)
    assert out.to_dict() == {"11-1021": "College A: 2.5", "29-1141": "College B: 4.0; College A: 1.0"}
    assert out.equals(texts.groupby(keys).agg("; ".join))  # what it replaces
    again = joined(pd.Series(["a", "a", "a"]), pd.Series(["q", "p", "q"]), ", ", distinct=True)
    assert again.to_dict() == {"a": "p, q"}
    assert joined(pd.Series([], dtype=object), pd.Series([], dtype=object)).empty
