package io.qgate.crypto.kem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.qgate.crypto.BackendUnavailableException;
import io.qgate.crypto.CryptoException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;

/**
 * Counts the outcomes of one vector file on one backend and checks each vector by its expected
 * result: valid (must succeed with exactly the expected output), invalid (must throw
 * {@link IllegalArgumentException} or a {@link CryptoException}, releasing nothing) or
 * acceptable (either; if it succeeds the output must match). A vector that the backend cannot
 * run is counted as not applicable with its reason, never as passed.
 */
final class VectorTally {
    enum Expect { VALID, INVALID, ACCEPTABLE }

    private final String file;
    private final String backend;
    private final AtomicInteger total = new AtomicInteger();
    private final AtomicInteger validOk = new AtomicInteger();
    private final AtomicInteger invalidRejected = new AtomicInteger();
    private final AtomicInteger acceptableOk = new AtomicInteger();
    private final AtomicInteger acceptableRejected = new AtomicInteger();
    private final Map<String, Integer> notApplicable = new TreeMap<>();

    VectorTally(String file, String backend) {
        this.file = file;
        this.backend = backend;
    }

    static Expect expect(String result) {
        return switch (result) {
            case "valid" -> Expect.VALID;
            case "invalid" -> Expect.INVALID;
            case "acceptable" -> Expect.ACCEPTABLE;
            default -> throw new IllegalStateException("unknown vector result " + result);
        };
    }

    /**
     * One dynamic test that runs {@code operation} and checks its output against {@code expected};
     * a rejection must be an instance of {@code rejectedWith}.
     */
    DynamicTest test(String id, Expect expect, byte[] expected, Class<? extends RuntimeException> rejectedWith,
                     Supplier<byte[]> operation) {
        total.incrementAndGet();
        return DynamicTest.dynamicTest(file + " " + id + " [" + backend + "]", () -> check(expect, expected, rejectedWith, operation));
    }

    private void check(Expect expect, byte[] expected, Class<? extends RuntimeException> rejectedWith, Supplier<byte[]> operation) {
        byte[] output;
        try {
            output = operation.get();
        } catch (BackendUnavailableException e) {
            synchronized (notApplicable) {
                notApplicable.merge(e.getMessage(), 1, Integer::sum);
            }
            return;
        } catch (IllegalArgumentException | CryptoException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "rejection must say why");
            if (expect != Expect.VALID) {
                assertTrue(rejectedWith.isInstance(e), "expected a rejection with " + rejectedWith.getSimpleName() + " but got " + e);
            }
            switch (expect) {
                case VALID -> fail("valid vector was rejected: " + e, e);
                case INVALID -> invalidRejected.incrementAndGet();
                case ACCEPTABLE -> acceptableRejected.incrementAndGet();
            }
            return;
        }
        switch (expect) {
            case VALID -> {
                assertArrayEquals(expected, output, "output differs from the vector");
                validOk.incrementAndGet();
            }
            case INVALID -> fail("invalid vector was accepted, output " + HexFormat.of().formatHex(output));
            case ACCEPTABLE -> {
                assertArrayEquals(expected, output, "acceptable vector succeeded with an output that differs from the vector");
                acceptableOk.incrementAndGet();
            }
        }
    }

    /** The last test of a container: prints the summary line and checks that every vector was accounted for. */
    DynamicTest summary() {
        return DynamicTest.dynamicTest(file + " summary [" + backend + "]", () -> {
            int na = notApplicable.values().stream().mapToInt(Integer::intValue).sum();
            String line = file + " [" + backend + "]: " + validOk + " valid ok, " + invalidRejected + " invalid rejected"
                + (acceptableOk.get() + acceptableRejected.get() > 0
                    ? ", " + acceptableOk + " acceptable ok, " + acceptableRejected + " acceptable rejected" : "")
                + ", " + na + " not applicable"
                + (na > 0 ? " (" + notApplicable.entrySet().stream().map(e -> e.getValue() + ": " + e.getKey())
                    .collect(Collectors.joining("; ")) + ")" : "");
            System.out.println(line);
            assertEquals(total.get(), validOk.get() + invalidRejected.get() + acceptableOk.get() + acceptableRejected.get() + na,
                "every vector must end valid ok, rejected or not applicable: " + line);
            assertTrue(total.get() > 0, "the file held no vectors for this backend");
        });
    }
}
