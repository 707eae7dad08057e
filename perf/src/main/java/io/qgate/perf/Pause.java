package io.qgate.perf;

/** Sleeps between polls of something the harness waits for; an interrupt aborts the benchmark. */
final class Pause {
    private Pause() {
    }

    static void millis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BenchException("interrupted.", e);
        }
    }
}
