"""The matcher caps numpy's thread pools (matching.threads)."""

import numpy as np
import pytest
from pydantic import ValidationError as SettingsError

from matching import threads
from matching.service import Matcher
from registry.settings import Settings, get_settings


def test_a_matcher_caps_the_math_pools_at_the_setting(tmp_path, monkeypatch):
    np.ones((64, 64)) @ np.ones((64, 64))  # BLAS loaded
    assert threads.current()
    try:
        threads.limit(1)
        monkeypatch.setenv("CHUYENGIA_MATH_THREADS", "2")
        get_settings.cache_clear()
        Matcher(model_dir=tmp_path)  # from the settings
        assert set(threads.current().values()) == {2}
        Matcher(model_dir=tmp_path, math_threads=1)  # given
        assert set(threads.current().values()) == {1}
    finally:
        monkeypatch.delenv("CHUYENGIA_MATH_THREADS")
        get_settings.cache_clear()
        threads.limit(get_settings().math_threads)
    assert get_settings().math_threads == 1  # the default
    assert set(threads.current().values()) == {1}


def test_a_limit_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        threads.limit(0)
    with pytest.raises(SettingsError, match="CHUYENGIA_MATH_THREADS"):
        Settings(CHUYENGIA_MATH_THREADS=0)
