package io.qgate.ring;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * The shape of a {@link BatchPipeline}. Build one with {@link #builder(String)}; the canonical
 * constructor checks every field and names the bad one in an {@link IllegalArgumentException}.
 *
 * @param name short name used in thread names ({@code qgate-<name>-worker-0}, {@code qgate-<name>-egress})
 * @param ringSize batches in the ring, a power of two
 * @param batchCapacity slots per batch
 * @param slotBytes bytes per slot
 * @param workers crypto worker threads; 0 runs the pipeline inline: no threads and no ring, the
 *     producer's {@link BatchPipeline#publish()} calls the worker handler (as worker 0) and then
 *     the egress handler on the producer's own thread, and the ring size is ignored
 * @param workerHandler the parallel stage
 * @param egressHandler the in-order last stage
 * @param waitMode how the threads wait
 * @param cpus CPUs to pin to: worker {@code i} gets {@code cpus[i % size]}, the egress
 *     {@code cpus[workers % size]}; empty for no pinning
 * @param pinner called on each pipeline thread, before it takes any batch, with the CPU it was
 *     given (for example {@code Affinity::pinCurrentThread}); may throw to refuse
 * @param errorHandler hears about exceptions thrown by the handlers
 * @param stopTimeout how long {@link BatchPipeline#close()} waits for its threads before it
 *     interrupts them, and again after
 */
public record PipelineConfig(String name, int ringSize, int batchCapacity, int slotBytes, int workers,
                             WorkerHandler workerHandler, EgressHandler egressHandler, WaitMode waitMode,
                             List<Integer> cpus, IntConsumer pinner, BatchErrorHandler errorHandler,
                             Duration stopTimeout) {
    /** Default ring size: 64 batches of 64 x 2 KiB are 8 MiB per pipeline. */
    public static final int DEFAULT_RING_SIZE = 64;
    /** Default slots per batch: one UDP GSO send carries up to 64 datagrams. */
    public static final int DEFAULT_BATCH_CAPACITY = 64;
    /** Default slot size: an MTU-sized packet plus headers and AEAD tag. */
    public static final int DEFAULT_SLOT_BYTES = 2048;
    /** Default {@link #stopTimeout()}. */
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final IntConsumer NO_PINNING = cpu -> { };

    /** Checks every field; see the class comment. */
    public PipelineConfig {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1 to 32 letters, digits, '.', '_' or '-', was " + name);
        }
        if (ringSize < 1 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two (1, 2, 4, ...), was " + ringSize);
        }
        if (batchCapacity < 1) {
            throw new IllegalArgumentException("batchCapacity must be at least 1 slot, was " + batchCapacity);
        }
        if (slotBytes < 1) {
            throw new IllegalArgumentException("slotBytes must be at least 1 byte, was " + slotBytes);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("workers must be 0 (inline) or more, was " + workers);
        }
        requireField(workerHandler, "workerHandler");
        requireField(egressHandler, "egressHandler");
        requireField(waitMode, "waitMode");
        requireField(cpus, "cpus");
        requireField(pinner, "pinner");
        requireField(errorHandler, "errorHandler");
        requireField(stopTimeout, "stopTimeout");
        if (stopTimeout.isNegative() || stopTimeout.isZero()) {
            throw new IllegalArgumentException("stopTimeout must be positive, was " + stopTimeout);
        }
        for (int i = 0; i < cpus.size(); i++) {
            Integer cpu = cpus.get(i);
            if (cpu == null || cpu < 0) {
                throw new IllegalArgumentException("cpus[" + i + "] must be a CPU number (0 or more), was " + cpu);
            }
        }
        cpus = List.copyOf(cpus);
        try {
            Math.multiplyExact(ringSize, PacketBatch.bytesFor(batchCapacity, slotBytes));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("ringSize x batchCapacity x slotBytes is too large: "
                + ringSize + " x " + batchCapacity + " x " + slotBytes, e);
        }
    }

    private static void requireField(Object value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    /** Whether the pipeline runs inline, on the producer's thread ({@code workers == 0}). */
    public boolean inline() {
        return workers == 0;
    }

    /** Off-heap bytes the pipeline's ring takes (one batch when inline). */
    public long ringBytes() {
        return (inline() ? 1 : ringSize) * PacketBatch.bytesFor(batchCapacity, slotBytes);
    }

    /** The CPU for pipeline thread {@code index} (workers 0..n-1, then the egress), or -1 for none. */
    int cpuFor(int index) {
        return cpus.isEmpty() ? -1 : cpus.get(index % cpus.size());
    }

    /** A builder with the defaults: 64 x 64 x 2 KiB, 1 worker, {@link WaitMode#BACKOFF}, no pinning, 5 s stop timeout. */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** Mutable, single-threaded builder of a {@link PipelineConfig}. */
    public static final class Builder {
        private final String name;
        private int ringSize = DEFAULT_RING_SIZE;
        private int batchCapacity = DEFAULT_BATCH_CAPACITY;
        private int slotBytes = DEFAULT_SLOT_BYTES;
        private int workers = 1;
        private WorkerHandler workerHandler;
        private EgressHandler egressHandler;
        private WaitMode waitMode = WaitMode.BACKOFF;
        private List<Integer> cpus = List.of();
        private IntConsumer pinner = NO_PINNING;
        private BatchErrorHandler errorHandler;
        private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;

        private Builder(String name) {
            this.name = name;
        }

        public Builder ringSize(int ringSize) {
            this.ringSize = ringSize;
            return this;
        }

        public Builder batchCapacity(int batchCapacity) {
            this.batchCapacity = batchCapacity;
            return this;
        }

        public Builder slotBytes(int slotBytes) {
            this.slotBytes = slotBytes;
            return this;
        }

        public Builder workers(int workers) {
            this.workers = workers;
            return this;
        }

        public Builder workerHandler(WorkerHandler workerHandler) {
            this.workerHandler = workerHandler;
            return this;
        }

        public Builder egressHandler(EgressHandler egressHandler) {
            this.egressHandler = egressHandler;
            return this;
        }

        public Builder waitMode(WaitMode waitMode) {
            this.waitMode = waitMode;
            return this;
        }

        public Builder cpus(List<Integer> cpus) {
            this.cpus = cpus;
            return this;
        }

        public Builder pinner(IntConsumer pinner) {
            this.pinner = pinner;
            return this;
        }

        /** Defaults to {@link BatchErrorHandler#logFirst(String)}. */
        public Builder errorHandler(BatchErrorHandler errorHandler) {
            this.errorHandler = errorHandler;
            return this;
        }

        public Builder stopTimeout(Duration stopTimeout) {
            this.stopTimeout = stopTimeout;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad field */
        public PipelineConfig build() {
            BatchErrorHandler errors = Objects.requireNonNullElseGet(errorHandler,
                () -> BatchErrorHandler.logFirst(name));
            return new PipelineConfig(name, ringSize, batchCapacity, slotBytes, workers, workerHandler,
                egressHandler, waitMode, cpus, pinner, errors, stopTimeout);
        }
    }
}
