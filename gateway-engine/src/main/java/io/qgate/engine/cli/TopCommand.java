package io.qgate.engine.cli;

import io.qgate.engine.telemetry.TopView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code qgate top}: a live view of the gateways and their peers with rates, redrawn every
 * interval from the counters files (no request to the gateways). Plain ANSI: works over ssh and
 * in tmux.
 */
@Command(name = "top", description = "Show gateways and peers with live rates, redrawn every second (Ctrl-C quits).",
    mixinStandardHelpOptions = true, footer = {"", "Example:", "  qgate top", "  qgate top qg0 --interval 2"})
public final class TopCommand implements Callable<Integer> {
    /** ANSI: cursor home, clear to the end of the screen. */
    private static final String HOME_AND_CLEAR = "\033[H\033[J";

    @Parameters(paramLabel = "INTERFACE", arity = "0..1", description = "one gateway (default: every gateway in the run directory)")
    String name;
    @Option(names = "--interval", defaultValue = "1", description = "seconds between redraws, 1 to 60 (default: ${DEFAULT-VALUE})")
    int interval;
    @Option(names = "--count", defaultValue = "0", description = "stop after this many redraws (default: until Ctrl-C)")
    long count;
    @picocli.CommandLine.Mixin
    RunDirectory run;

    @Override
    public Integer call() throws InterruptedException {
        if (interval < 1 || interval > 60) {
            throw new IllegalArgumentException("--interval " + interval + " is outside 1..60 seconds");
        }
        if (count < 0) {
            throw new IllegalArgumentException("--count must not be negative");
        }
        TopView view = new TopView();
        for (long frame = 0; count == 0 || frame < count; frame++) {
            String screen = view.render(StatusCommand.read(run, name), System.currentTimeMillis());
            System.out.print(HOME_AND_CLEAR + screen);
            System.out.flush();
            if (count == 0 || frame + 1 < count) {
                Thread.sleep(interval * 1000L);
            }
        }
        return 0;
    }
}
