import uuid

import pytest
from django.http import Http404

from trellis.core.ids import public_id_or_404


def test_a_uuid_or_its_text_is_accepted():
    value = uuid.UUID("6f1c1e0e-0000-4000-8000-000000000000")

    assert public_id_or_404(value) is value
    assert public_id_or_404(str(value)) == value


@pytest.mark.parametrize("bad", ["", "42", "not-a-uuid", None])
def test_anything_else_is_not_found_naming_what_was_asked_for(bad):
    with pytest.raises(Http404, match=r"^No such token\.$"):
        public_id_or_404(bad, "token")
