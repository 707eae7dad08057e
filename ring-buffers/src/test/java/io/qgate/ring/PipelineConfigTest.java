package io.qgate.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineConfigTest {
    static PipelineConfig.Builder valid() {
        return PipelineConfig.builder("t").workerHandler((b, id) -> { }).egressHandler(b -> { });
    }

    @Test
    void defaultsAreOneWorkerBackoffNoPinningAndSixtyFourBatchesOfSixtyFourTwoKibSlots() {
        PipelineConfig config = valid().build();
        assertEquals(64, config.ringSize());
        assertEquals(64, config.batchCapacity());
        assertEquals(2048, config.slotBytes());
        assertEquals(1, config.workers());
        assertEquals(WaitMode.BACKOFF, config.waitMode());
        assertEquals(List.of(), config.cpus());
        assertEquals(Duration.ofSeconds(5), config.stopTimeout());
        assertEquals(64L * 64 * 2048, config.ringBytes());
        assertEquals(false, config.inline());
    }

    @Test
    void zeroWorkersIsInlineWithOneBatchInsteadOfARing() {
        PipelineConfig config = valid().workers(0).build();
        assertEquals(true, config.inline());
        assertEquals(64L * 2048, config.ringBytes());
    }

    @Test
    void cpusAreHandedOutRoundRobinWorkersFirstThenEgress() {
        PipelineConfig config = valid().workers(2).cpus(List.of(5, 6)).build();
        assertEquals(5, config.cpuFor(0));
        assertEquals(6, config.cpuFor(1));
        assertEquals(5, config.cpuFor(2));
        assertEquals(-1, valid().build().cpuFor(0));
    }

    @Test
    void cpusAreCopied() {
        Integer[] cpus = {1, 2};
        List<Integer> backing = Arrays.asList(cpus);
        PipelineConfig config = valid().cpus(backing).build();
        cpus[0] = 9;
        assertEquals(List.of(1, 2), config.cpus());
    }

    static Stream<Arguments> badConfigs() {
        return Stream.of(
            bad("name", b -> PipelineConfig.builder("has space").workerHandler((x, i) -> { }).egressHandler(x -> { })),
            bad("name", b -> PipelineConfig.builder(null).workerHandler((x, i) -> { }).egressHandler(x -> { })),
            bad("ringSize", b -> b.ringSize(0)),
            bad("ringSize", b -> b.ringSize(48)),
            bad("ringSize", b -> b.ringSize(-64)),
            bad("batchCapacity", b -> b.batchCapacity(0)),
            bad("slotBytes", b -> b.slotBytes(0)),
            bad("workers", b -> b.workers(-1)),
            bad("workerHandler", b -> b.workerHandler(null)),
            bad("egressHandler", b -> b.egressHandler(null)),
            bad("waitMode", b -> b.waitMode(null)),
            bad("cpus", b -> b.cpus(null)),
            bad("cpus[1]", b -> b.cpus(List.of(0, -1))),
            bad("cpus[0]", b -> b.cpus(Arrays.asList((Integer) null))),
            bad("pinner", b -> b.pinner(null)),
            bad("stopTimeout", b -> b.stopTimeout(Duration.ZERO)),
            bad("stopTimeout", b -> b.stopTimeout(null)),
            bad("ringSize x batchCapacity x slotBytes", b -> b.ringSize(1 << 30).batchCapacity(1 << 30).slotBytes(1 << 30)));
    }

    private static Arguments bad(String field, UnaryOperator<PipelineConfig.Builder> change) {
        return Arguments.of(field, change);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badConfigs")
    void badConfigIsRejectedNamingTheField(String field, UnaryOperator<PipelineConfig.Builder> change) {
        var e = assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build());
        assertTrue(e.getMessage().startsWith(field + " "), e.getMessage());
    }
}
