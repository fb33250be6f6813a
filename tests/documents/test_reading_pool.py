"""The reading pool keeps a process free for checks: reading the words of papers already
stored (``later`` jobs) never takes every reading process, so a paper an officer has just
dropped on an item is checked while earlier papers' words are still being read."""

from __future__ import annotations

import threading

from panelapp.documents.reading_pool import ReadingPool

WAIT = 10  # seconds: far more than any of these jobs takes when it is not blocked


def test_a_check_runs_while_every_later_job_waits_on_words():
    release = threading.Event()
    started = threading.Semaphore(0)

    def long_words(_reader, _item):
        started.release()
        assert release.wait(WAIT)
        return "words"

    with ReadingPool(2) as pool:
        words = [pool.submit(long_words, n, later=True) for n in range(3)]
        assert started.acquire(timeout=WAIT)  # one words job holds a process...
        check = pool.submit(lambda _reader, item: f"checked {item}", "advice.pdf")
        # ...and the check does not wait for it, nor for the two words jobs queued
        assert check.result(timeout=WAIT) == "checked advice.pdf"
        assert not any(w.done() for w in words)
        release.set()
        assert [w.result(timeout=WAIT) for w in words] == ["words"] * 3


def test_a_pool_of_one_process_still_runs_later_jobs():
    with ReadingPool(1) as pool:
        later = pool.submit(lambda _reader, item: item * 2, 21, later=True)
        soon = pool.submit(lambda _reader, item: item + 1, 1)
        assert (later.result(timeout=WAIT), soon.result(timeout=WAIT)) == (42, 2)


def test_reading_processes_run_below_the_applications_cpu_priority():
    import os

    from panelapp.documents.reading_process import ReadingProcess

    with ReadingProcess() as reader:
        reader.start()
        child = os.getpriority(os.PRIO_PROCESS, reader._process.pid)
    assert child > os.getpriority(os.PRIO_PROCESS, 0)
