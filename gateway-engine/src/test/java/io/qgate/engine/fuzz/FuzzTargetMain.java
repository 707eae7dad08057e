package io.qgate.engine.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Fuzzes one {@link FuzzTest} in this JVM:
 * {@code FuzzTargetMain <class> <method> <seconds> [<corpus directory>...]}.
 * {@link FuzzCampaign} starts one such JVM per target because Jazzer 0.24.0 fuzzes at most one
 * {@code @FuzzTest} per JVM (its JUnit extension disables every later one, "Only one fuzz test
 * can be run at a time"). The parent sets {@code JAZZER_FUZZ=1} and the working directory, in
 * which libFuzzer writes the input of a finding ({@code crash-<sha1>}). The corpus directories go
 * to libFuzzer as they are: it writes what it finds into the first and only reads the others
 * (without any, Jazzer keeps its generated corpus in {@code .cifuzz-corpus/<class>/<method>/}).
 *
 * <p>Exits 0 when the target was fuzzed for the given time without a finding, 1 on a finding or
 * any other failure, 2 on bad arguments.
 */
public final class FuzzTargetMain {
    /** How the report of failed invocations starts, for {@link FuzzTargetProcess} to find it. */
    static final String FAILURES = "Failures (";

    private FuzzTargetMain() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        if (args.length < 3) {
            System.err.println("usage: FuzzTargetMain <fuzz test class> <method> <seconds> [<corpus directory>...]");
            System.exit(2);
        }
        Class<?> testClass = Class.forName(args[0]);
        Method target = fuzzTest(testClass, args[1]);
        // Jazzer's JUnit extension passes these "libFuzzer arguments" after its own, so this
        // -max_total_time overrides the annotation's maxDuration (0.24.0's command-line runner,
        // com.code_intelligence.jazzer.driver.junit.JUnitRunner, passes its flags the same way);
        // the arguments not starting with '-' it puts first, as libFuzzer's corpus directories.
        List<String> libFuzzerArgs = new ArrayList<>(List.of("qgate-fuzz"));
        libFuzzerArgs.addAll(Arrays.asList(args).subList(3, args.length));
        libFuzzerArgs.add("-max_total_time=" + Long.parseLong(args[2]));
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectMethod(testClass, target))
            .filters(EngineFilter.includeEngines("junit-jupiter"))
            .configurationParameter("jazzer.hooks", "true");
        for (int i = 0; i < libFuzzerArgs.size(); i++) {
            request.configurationParameter("jazzer.internal.arg." + i, libFuzzerArgs.get(i));
        }
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request.build(), listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printFailuresTo(new PrintWriter(System.err, true), 40);
        boolean clean = summary.getTotalFailureCount() == 0 && summary.getTestsSucceededCount() > 0
            && summary.getTestsSkippedCount() == 0 && summary.getTestsAbortedCount() == 0;
        System.err.println("qgate-fuzz: " + testClass.getName() + "#" + target.getName() + ": "
            + summary.getTestsSucceededCount() + " invocations passed, " + summary.getTotalFailureCount() + " failed, "
            + summary.getTestsSkippedCount() + " skipped, " + summary.getTestsAbortedCount() + " aborted");
        System.exit(clean ? 0 : 1);
    }

    private static Method fuzzTest(Class<?> testClass, String name) {
        for (Method method : testClass.getDeclaredMethods()) {
            if (method.getName().equals(name) && method.isAnnotationPresent(FuzzTest.class)) {
                return method;
            }
        }
        System.err.println(testClass.getName() + " has no @FuzzTest method named " + name);
        System.exit(2);
        throw new AssertionError("unreachable");
    }
}
