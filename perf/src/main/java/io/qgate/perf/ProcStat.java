package io.qgate.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * CPU time as Linux accounts it in {@code /proc} (proc(5)), in clock ticks
 * ({@code sysconf(_SC_CLK_TCK)}, see {@link #clockTicksPerSecond()}).
 *
 * <p>Per process: {@code utime + stime} from {@code /proc/<pid>/stat} (fields 14 and 15). For a
 * thread-group leader these sum over all of its threads, so one figure covers a whole JVM or a
 * whole Go runtime. Time a child spent is not included until it is reaped, which is why the
 * harness samples the tunnel's own processes and not a parent shell.
 *
 * <p>Whole machine: the aggregate {@code cpu} line of {@code /proc/stat}.
 */
public final class ProcStat {
    /** Field 14 of /proc/<pid>/stat, counted from the state field (3) that follows "(comm)". */
    private static final int UTIME_AFTER_COMM = 14 - 3;
    private static final int STIME_AFTER_COMM = 15 - 3;

    private ProcStat() {
    }

    /**
     * Ticks of user plus system time in one {@code /proc/<pid>/stat} line. The command name
     * (field 2) is in parentheses and may itself hold spaces and parentheses, so the fields are
     * counted from its last closing parenthesis.
     *
     * @throws IllegalArgumentException when the line is not in that format
     */
    public static long processTicks(String statLine) {
        int close = statLine.lastIndexOf(')');
        if (close < 0 || statLine.indexOf('(') < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line (no \"(comm)\"): " + abbreviate(statLine));
        }
        String[] fields = statLine.substring(close + 1).strip().split(" +");
        if (fields.length <= STIME_AFTER_COMM) {
            throw new IllegalArgumentException("a /proc/<pid>/stat line with " + (fields.length + 2)
                + " fields, fewer than the 15 that hold utime and stime: " + abbreviate(statLine));
        }
        return parseTicks(fields[UTIME_AFTER_COMM], statLine) + parseTicks(fields[STIME_AFTER_COMM], statLine);
    }

    /**
     * Ticks of user plus system time the process {@code pid} has used so far.
     *
     * @throws BenchException when the process no longer exists
     */
    public static long processTicks(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            return processTicks(Files.readString(stat));
        } catch (NoSuchFileException e) {
            throw new BenchException("process " + pid + " exited during the measurement, so its CPU time"
                + " cannot be read: see its log for why it stopped.", e);
        } catch (IOException e) {
            throw new BenchException("cannot read " + stat + ": " + e.getMessage(), e);
        }
    }

    /**
     * The aggregate CPU counters of the machine.
     *
     * @param busy  user + nice + system + irq + softirq + steal ticks, summed over all CPUs
     * @param total busy plus idle and iowait ticks
     * @param cpus  how many {@code cpuN} lines there are
     */
    public record MachineTicks(long busy, long total, int cpus) {
        /** CPUs kept busy on average between {@code earlier} and this sample. */
        public double coresSince(MachineTicks earlier) {
            long dt = total - earlier.total;
            return dt <= 0 ? 0 : (double) (busy - earlier.busy) / dt * cpus;
        }
    }

    /**
     * Parses the text of {@code /proc/stat}. Its first line is
     * {@code cpu user nice system idle iowait irq softirq steal guest guest_nice}; guest time is
     * already part of user time, so it is not added again.
     *
     * @throws IllegalArgumentException when the text has no aggregate {@code cpu} line
     */
    public static MachineTicks machineTicks(String procStat) {
        String[] lines = procStat.split("\n");
        if (lines.length == 0 || !lines[0].startsWith("cpu ")) {
            throw new IllegalArgumentException("not /proc/stat text (first line is not \"cpu ...\"): "
                + abbreviate(lines.length == 0 ? "" : lines[0]));
        }
        String[] f = lines[0].substring(4).strip().split(" +");
        if (f.length < 8) {
            throw new IllegalArgumentException("/proc/stat's cpu line has " + f.length
                + " counters, fewer than the 8 up to steal: " + abbreviate(lines[0]));
        }
        long idle = parseTicks(f[3], lines[0]) + parseTicks(f[4], lines[0]);
        long busy = 0;
        for (int i : new int[] {0, 1, 2, 5, 6, 7}) {
            busy += parseTicks(f[i], lines[0]);
        }
        int cpus = 0;
        for (String line : lines) {
            if (line.startsWith("cpu") && line.length() > 3 && Character.isDigit(line.charAt(3))) {
                cpus++;
            }
        }
        return new MachineTicks(busy, busy + idle, Math.max(cpus, 1));
    }

    /** The machine's counters now. */
    public static MachineTicks machineTicks() {
        try {
            return machineTicks(Files.readString(Path.of("/proc/stat")));
        } catch (IOException e) {
            throw new BenchException("cannot read /proc/stat (" + e.getMessage() + "): the harness needs Linux with /proc mounted.", e);
        }
    }

    /** {@code getconf CLK_TCK}: how many ticks make one second of CPU time in /proc. */
    public static long clockTicksPerSecond() {
        ExternalCommand.Result r = ExternalCommand.run(ExternalCommand.SHORT, "getconf", "CLK_TCK");
        r.orThrow("getconf CLK_TCK");
        try {
            return Long.parseLong(r.stdout().strip());
        } catch (NumberFormatException e) {
            throw new BenchException("getconf CLK_TCK printed \"" + r.stdout().strip() + "\", not a number.", e);
        }
    }

    private static long parseTicks(String field, String line) {
        try {
            return Long.parseLong(field);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + field + "\" is not a tick count in: " + abbreviate(line), e);
        }
    }

    private static String abbreviate(String s) {
        String line = s.strip();
        return line.length() > 100 ? line.substring(0, 100) + "..." : line;
    }
}
