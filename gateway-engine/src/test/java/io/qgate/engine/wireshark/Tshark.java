package io.qgate.engine.wireshark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs {@code tshark} with qgate's Lua dissector ({@code tools/wireshark/qgate.lua}) over a capture
 * file and returns the fields it decoded, one row per frame. Stateless.
 */
public final class Tshark {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path SCRIPT = Path.of("tools", "wireshark", "qgate.lua");

    private Tshark() {
    }

    /**
     * What one tshark run printed: its rows (field name to value; a field that occurs several
     * times in a frame has its values joined by commas, an absent one is empty) and its standard
     * error.
     */
    public record Decoded(List<Map<String, String>> rows, String stdout, String stderr) {
        /** Standard output and error lines that mention Lua: a script that failed to load or a dissector that threw. */
        public List<String> luaComplaints() {
            return Stream.concat(stdout.lines(), stderr.lines())
                .filter(line -> line.toLowerCase(Locale.ROOT).contains("lua")).toList();
        }
    }

    /** Why tshark cannot run the dissector here, or null if it can. */
    public static String missing() {
        if (executable("tshark") == null) {
            return "needs tshark (Debian package tshark; .ci/install-test-deps installs it)";
        }
        if (script() == null) {
            return "needs " + SCRIPT + " in this checkout (looked upwards from " + Path.of("").toAbsolutePath() + ")";
        }
        return null;
    }

    /** The first executable {@code name} on the PATH, or null. */
    public static Path executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** The dissector, found in the working directory or a parent (Maven runs tests in the module folder). */
    public static Path script() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir.resolve(SCRIPT);
            }
        }
        return null;
    }

    /**
     * Decodes {@code capture} with the dissector and prints {@code fields} per frame.
     *
     * @throws IOException if tshark cannot start, runs longer than a minute or exits with an error
     */
    public static Decoded decode(Path capture, List<String> fields) throws IOException, InterruptedException {
        return decode(capture, List.of(), fields);
    }

    /**
     * {@link #decode(Path, List)} with extra tshark options first, such as {@code -o qgate.port:4500}
     * (a preference of the dissector).
     */
    public static Decoded decode(Path capture, List<String> options, List<String> fields) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(executable("tshark").toString(), "-n", "-r", capture.toString(),
            "-X", "lua_script:" + script()));
        command.addAll(options);
        command.addAll(List.of("-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"));
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        Path stdout = Files.createTempFile("qgate-tshark", ".out");
        Path stderr = Files.createTempFile("qgate-tshark", ".err");
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IOException("tshark ran longer than " + TIMEOUT + ": " + String.join(" ", command));
            }
            String out = Files.readString(stdout, StandardCharsets.UTF_8);
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IOException("tshark exited with " + p.exitValue() + ": " + err.strip());
            }
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line : out.lines().toList()) {
                String[] values = line.split("\t", -1);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < fields.size(); i++) {
                    row.put(fields.get(i), i < values.length ? values[i] : "");
                }
                rows.add(row);
            }
            return new Decoded(rows, out, err);
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    /** A u32 field as tshark prints it ({@code 0x0a0b0c0d}), as its int bit pattern. */
    public static int index(String hex) {
        return Integer.parseUnsignedInt(hex.startsWith("0x") ? hex.substring(2) : hex, 16);
    }
}
