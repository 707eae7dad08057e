package io.qgate.bench;

import io.qgate.ring.BatchPipeline;
import io.qgate.ring.PacketBatch;
import io.qgate.ring.PipelineConfig;
import io.qgate.ring.WaitMode;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pipeline's hand-off alone: the benchmark thread is the producer, claiming and publishing
 * batches of 64 slots x 2 KiB; one worker writes one byte per slot and the egress reads one byte
 * per slot. Once the ring is full the producer runs at the pace of the slowest stage, so the
 * figures are the pipeline's throughput: batches per second, and nanoseconds per packet
 * (per slot) of the same loop. With {@code workers = 0} the pipeline is inline: the benchmark
 * thread runs the worker and the egress itself, so the difference to {@code workers = 1} is what
 * the hand-off between threads costs ({@code waitMode} does not apply inline).
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {Jvm.NATIVE_ACCESS, Jvm.AGRONA_EXPORTS, Jvm.ML_DSA_OPENS, Jvm.AES_GCM_OPENS, Jvm.UNSAFE_ALLOW})
public class BatchPipelineBenchmark {
    private static final int SLOTS = 64;
    private static final int SLOT_BYTES = 2048;

    @Param({"BACKOFF", "BLOCKING"})
    public WaitMode waitMode;

    @Param({"1", "0"})
    public int workers;

    private BatchPipeline pipeline;
    /** Written by the egress thread only; keeps its reads alive. */
    private long egressSink;

    @Setup(Level.Trial)
    public void start() {
        pipeline = BatchPipeline.start(PipelineConfig.builder("bench").ringSize(64).batchCapacity(SLOTS)
            .slotBytes(SLOT_BYTES).workers(workers).waitMode(waitMode)
            .workerHandler((batch, id) -> {
                for (int i = 0, n = batch.count(); i < n; i++) {
                    batch.slot(i).set(ValueLayout.JAVA_BYTE, 0, (byte) i);
                }
            })
            .egressHandler(batch -> {
                long sum = 0;
                for (int i = 0, n = batch.count(); i < n; i++) {
                    sum += batch.slot(i).get(ValueLayout.JAVA_BYTE, 0);
                }
                egressSink += sum;
            }).build());
    }

    @TearDown(Level.Trial)
    public void stop() {
        pipeline.close();
    }

    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void batches() {
        handOff();
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    @OperationsPerInvocation(SLOTS)
    public void perPacket() {
        handOff();
    }

    private void handOff() {
        PacketBatch batch = pipeline.claim();
        batch.count(SLOTS);
        pipeline.publish();
    }
}
