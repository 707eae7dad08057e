package io.qgate.engine.fuzz;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Seed inputs for the fuzz targets, which take them through {@code @MethodSource} placed before
 * {@code @FuzzTest}: in regression mode each seed is one test invocation shown under its name; in
 * fuzzing mode Jazzer records the seeds and starts mutating from them.
 */
public final class Seeds {
    private Seeds() {
    }

    /** {@code input} as one named seed. */
    public static Arguments named(String name, byte[] input) {
        return Arguments.of(Named.of(name, input));
    }

    /** The inputs of seeds made by {@link #named}, for tests that check the seeds themselves. */
    public static List<byte[]> inputs(Stream<Arguments> seeds) {
        return seeds.map(seed -> (byte[]) ((Named<?>) seed.get()[0]).getPayload()).toList();
    }

    /** {@code length} bytes from {@code random} (seeds are reproducible: a fixed stream each). */
    public static byte[] bytes(SplittableRandom random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
