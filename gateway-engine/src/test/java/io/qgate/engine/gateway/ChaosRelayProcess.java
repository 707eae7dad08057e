package io.qgate.engine.gateway;

import io.qgate.engine.chaos.ChaosRelay;
import io.qgate.engine.telemetry.MiniJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ChaosRelay} run as a child process in the relay namespace of a relayed
 * {@link NamespaceLab}, between gateway a ({@link NamespaceLab#OUTER_A}) and gateway b
 * ({@link NamespaceLab#OUTER_B_RELAYED}), port 51820 everywhere. Its error output goes to
 * {@code relay.log} in the lab's folder. One test thread uses it.
 */
final class ChaosRelayProcess implements AutoCloseable {
    private final Process process;
    private final BufferedReader out;
    private final Writer in;

    private ChaosRelayProcess(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    /**
     * Starts the relay with {@code faultOptions} (the program's options, such as
     * {@code "--drop", "0.05"}) and waits until it is bound.
     */
    static ChaosRelayProcess start(NamespaceLab lab, long seed, String... faultOptions) throws IOException {
        List<String> args = new ArrayList<>(List.of(
            "--facing-a", NamespaceLab.RELAY_FACING_A + ":51820", "--gateway-a", NamespaceLab.OUTER_A + ":51820",
            "--facing-b", NamespaceLab.RELAY_FACING_B + ":51820", "--gateway-b", NamespaceLab.OUTER_B_RELAYED + ":51820",
            "--seed", Long.toString(seed)));
        args.addAll(List.of(faultOptions));
        List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", lab.namespace("r")));
        command.addAll(NamespaceLab.java(ChaosRelay.class.getName(), args.toArray(String[]::new)));
        Process p = new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(lab.dir.resolve("relay.log").toFile())).start();
        ChaosRelayProcess relay = new ChaosRelayProcess(p);
        String first = relay.out.readLine();
        if (!"ready".equals(first)) {
            relay.close();
            throw new IOException("the chaos relay did not start (first line: " + first + "); see " + lab.dir.resolve("relay.log"));
        }
        return relay;
    }

    /** The relay's counts now: direction ("to_a", "to_b") to count name to value. */
    Map<String, Map<String, Long>> counts() throws IOException {
        return request("counts");
    }

    /** Stops the relay and returns its final counts. */
    Map<String, Map<String, Long>> stop() throws IOException, InterruptedException {
        Map<String, Map<String, Long>> last = request("stop");
        process.waitFor(10, TimeUnit.SECONDS);
        return last;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Long>> request(String line) throws IOException {
        in.write(line + "\n");
        in.flush();
        String json = out.readLine();
        if (json == null) {
            throw new IOException("the chaos relay exited (status " + (process.isAlive() ? "?" : process.exitValue()) + ")");
        }
        Map<String, Object> parsed = (Map<String, Object>) MiniJson.parse(json);
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (String direction : List.of("to_a", "to_b")) {
            counts.put(direction, (Map<String, Long>) parsed.get(direction));
        }
        return counts;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            out.close();
            in.close();
        } catch (IOException e) {
            // the pipes of a dead child: nothing to do
        }
    }
}
