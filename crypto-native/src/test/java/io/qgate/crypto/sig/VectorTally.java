package io.qgate.crypto.sig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import io.qgate.crypto.Backend;
import io.qgate.crypto.CryptoException;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Counts what happened to the vectors of one file on one backend, checks each result as the
 * file says (valid, invalid, acceptable) and prints one summary line per file and backend.
 */
final class VectorTally {
    private final String file;
    private final Backend backend;
    private final Map<String, Integer> notApplicable = new TreeMap<>();
    private int total;
    private int validOk;
    private int invalidRejected;
    private int acceptable;

    VectorTally(String file, Backend backend) {
        this.file = file;
        this.backend = backend;
    }

    /** Records a vector that will run. */
    void planned() {
        total++;
    }

    /** Records a vector filtered out, with the reason that will be printed. */
    void notApplicable(String reason) {
        total++;
        notApplicable.merge(reason, 1, Integer::sum);
    }

    /**
     * Runs {@code operation} and checks it against {@code result}: valid must return normally and
     * pass {@code validCheck}; invalid must throw IllegalArgumentException or a CryptoException, or
     * return {@code false}, and never release other output; acceptable may do either, but output it
     * returns must pass {@code validCheck}.
     */
    <T> void check(String result, Supplier<T> operation, Consumer<T> validCheck) {
        switch (result) {
            case "valid" -> {
                validCheck.accept(operation.get());
                validOk++;
            }
            case "invalid" -> {
                T out;
                try {
                    out = operation.get();
                } catch (IllegalArgumentException | CryptoException rejected) {
                    invalidRejected++;
                    return;
                }
                if (!(out instanceof Boolean b)) {
                    fail("an invalid vector was not rejected: the operation released output");
                    return;
                }
                assertFalse(b, "an invalid signature verified");
                invalidRejected++;
            }
            case "acceptable" -> {
                T out;
                try {
                    out = operation.get();
                } catch (IllegalArgumentException | CryptoException rejected) {
                    acceptable++;
                    return;
                }
                if (!(out instanceof Boolean b) || b) {
                    validCheck.accept(out);
                }
                acceptable++;
            }
            default -> fail("unknown expected result '" + result + "'");
        }
    }

    String summary() {
        StringBuilder s = new StringBuilder(file).append(" [").append(backend.id()).append("]: ")
            .append(validOk).append(" valid ok, ").append(invalidRejected).append(" invalid rejected");
        if (acceptable > 0) {
            s.append(", ").append(acceptable).append(" acceptable ok");
        }
        int na = notApplicable.values().stream().mapToInt(Integer::intValue).sum();
        s.append(", ").append(na).append(" not applicable");
        if (na > 0) {
            StringBuilder reasons = new StringBuilder();
            notApplicable.forEach((reason, count) -> reasons.append(reasons.isEmpty() ? "" : ", ").append(count).append(' ').append(reason));
            s.append(" (").append(reasons).append(')');
        }
        return s.toString();
    }

    /**
     * Prints the summary line for a backend that is absent here (skipping the test with its
     * reason), or the counts, proving that every vector either ran or was counted as not applicable.
     */
    void finish(Runnable requireBackend) {
        try {
            requireBackend.run();
        } catch (org.opentest4j.TestAbortedException absent) {
            System.out.println(file + " [" + backend.id() + "]: " + total + " vectors skipped: " + absent.getMessage());
            throw absent;
        }
        finish();
    }

    /** Prints the summary and proves that every vector either ran or was counted as not applicable. */
    void finish() {
        System.out.println(summary());
        int na = notApplicable.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(total, validOk + invalidRejected + acceptable + na, "vectors were lost: " + summary());
    }
}
