"""score_batch: exact top-k against a brute-force sort, whatever the chunking."""

from __future__ import annotations

import numpy as np
import pytest

from trellis.recommend.core import engine, synthetic


def brute_force(needs, catalog, k):
    scores = needs @ (catalog.alignment * engine.batch_multiplier(catalog)[:, None]).T
    order = np.lexsort(
        (np.broadcast_to(np.arange(scores.shape[1]), scores.shape), -scores), axis=1
    )[:, :k]
    return order, np.take_along_axis(scores, order, axis=1)


@pytest.mark.parametrize(("chunk", "top_k"), [(7, 5), (64, 10), (2048, 3)])
def test_score_batch_matches_brute_force(chunk, top_k):
    catalog = synthetic.catalog(11, 400, competencies=8)
    needs = synthetic.needs(12, 150, competencies=8)
    needs[3] = 0  # no need at all: ties everywhere, lowest indices win
    indices, values = engine.score_batch(needs, catalog, chunk=chunk, top_k=top_k)
    expected_i, expected_v = brute_force(needs, catalog, top_k)
    assert indices.dtype == np.int32
    assert values.dtype == np.float32
    assert indices.shape == (150, top_k)
    np.testing.assert_allclose(values, expected_v, rtol=1e-5, atol=1e-6)
    assert (indices == expected_i).mean() > 0.99  # float32 near-ties may swap neighbours
    assert indices[3].tolist() == list(range(top_k))


def test_score_batch_ties_go_to_the_lower_index():
    alignment = np.array([[1, 0], [1, 0], [0, 1], [1, 0]], dtype=np.float32)
    catalog = synthetic.build_catalog(alignment)
    indices, values = engine.score_batch(
        np.array([[1, 0], [0, 1]], dtype=np.float32), catalog, top_k=2
    )
    assert indices.tolist() == [[0, 1], [2, 0]]
    assert values[0, 0] == values[0, 1] > 0
    assert values[1, 1] == 0


def test_score_batch_skips_failed_vetting_and_handles_small_inputs():
    alignment = np.array([[1, 0], [1, 0]], dtype=np.float32)
    catalog = synthetic.build_catalog(alignment, vetting_failed=[True, False])
    indices, values = engine.score_batch(np.array([[1, 0]], dtype=np.float32), catalog, top_k=5)
    assert indices.tolist() == [[1, 0]]
    assert values[0, 1] == 0
    empty_i, empty_v = engine.score_batch(np.zeros((0, 2), dtype=np.float32), catalog)
    assert empty_i.shape == (0, 2)
    assert empty_v.shape == (0, 2)
    with pytest.raises(ValueError, match="chunk must be at least 1"):
        engine.score_batch(np.ones((1, 2), dtype=np.float32), catalog, chunk=0)
