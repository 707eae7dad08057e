package io.qgate.engine.chaos;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The fault rates of a {@link ChaosRelay}: the probability of each {@link Fault} for one datagram
 * (they exclude each other, so their sum is at most 1; the rest is forwarded), the probability
 * that a previously sent datagram is replayed after it, the delay of a delayed datagram and the
 * bound of the delay queue, and which datagrams are eligible.
 *
 * @param drop probability of {@link Fault#DROP}
 * @param reorder probability of {@link Fault#REORDER}
 * @param delayRate probability of {@link Fault#DELAY}
 * @param duplicate probability of {@link Fault#DUPLICATE}
 * @param truncate probability of {@link Fault#TRUNCATE}
 * @param corrupt probability of {@link Fault#CORRUPT}
 * @param replay probability that one of the last {@link ChaosRelay#HISTORY} datagrams sent intact in
 *     the same direction is sent again after this one
 * @param delay how long a delayed datagram is held
 * @param delayQueue at most this many datagrams are held for delay per direction; a datagram
 *     chosen for delay when the queue is full is forwarded instead (and counted)
 * @param onlyType faults apply only to datagrams whose first byte (the qgate message type) is this
 *     value; -1: to every datagram. Other datagrams are forwarded unchanged and never replayed.
 */
public record Faults(double drop, double reorder, double delayRate, double duplicate, double truncate, double corrupt,
        double replay, Duration delay, int delayQueue, int onlyType) {

    /** No faults: a plain relay. */
    public static final Faults NONE = new Faults(0, 0, 0, 0, 0, 0, 0, Duration.ofMillis(2), 1024, -1);

    public Faults {
        for (double p : new double[] {drop, reorder, delayRate, duplicate, truncate, corrupt, replay}) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("a fault rate must be a probability from 0 to 1, not " + p);
            }
        }
        if (drop + reorder + delayRate + duplicate + truncate + corrupt > 1 + 1e-9) {
            throw new IllegalArgumentException("the fault rates other than replay exclude each other and must add up to at most 1");
        }
        if (delay.isNegative() || delay.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("the delay must be from 0 to 10 s, not " + delay);
        }
        if (delayQueue < 0 || delayQueue > 1 << 20) {
            throw new IllegalArgumentException("the delay queue must hold 0 to 1048576 datagrams, not " + delayQueue);
        }
        if (onlyType < -1 || onlyType > 255) {
            throw new IllegalArgumentException("the faulted message type must be a byte value or -1 (every type), not " + onlyType);
        }
    }

    /** The fault for the next datagram: one draw from {@code random}. */
    Fault choose(SplittableRandom random) {
        double r = random.nextDouble();
        if ((r -= drop) < 0) {
            return Fault.DROP;
        }
        if ((r -= reorder) < 0) {
            return Fault.REORDER;
        }
        if ((r -= delayRate) < 0) {
            return Fault.DELAY;
        }
        if ((r -= duplicate) < 0) {
            return Fault.DUPLICATE;
        }
        if ((r -= truncate) < 0) {
            return Fault.TRUNCATE;
        }
        if ((r -= corrupt) < 0) {
            return Fault.CORRUPT;
        }
        return Fault.FORWARD;
    }
}
