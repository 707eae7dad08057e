package io.qgate.engine.protocol;

import static io.qgate.engine.fuzz.ParserContract.parsedOrRefused;
import static io.qgate.engine.fuzz.Seeds.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.qgate.engine.fuzz.Seeds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz targets for the handshake message bodies of sections 5.2 to 5.4 of {@code docs/PROTOCOL.md}.
 * Each parser returns a value or refuses with {@code MALFORMED_MESSAGE} (an initiation also with
 * {@code UNSUPPORTED_SUITE}); every field is explicit, so a parsed body re-encodes to exactly the
 * input and parses again to the same value. The seeds are valid encodings of every shape.
 */
class HandshakeBodyFuzzTest {
    private static final byte UNKNOWN_SUITE_ID = 9;

    @MethodSource("initiations")
    @FuzzTest
    void initiation(byte[] body) throws ProtocolException {
        Initiation parsed = parsedOrRefused(() -> Initiation.parse(body), ErrorCode.MALFORMED_MESSAGE,
            ErrorCode.UNSUPPORTED_SUITE);
        if (parsed != null) {
            assertArrayEquals(body, parsed.encode());
            assertEquals(parsed, Initiation.parse(parsed.encode()));
            assertTrue(parsed.offers(parsed.chosenSuite()), "the chosen suite is among the offered");
        }
    }

    /** The first byte picks the suite whose KEM fixes the ciphertext length; the rest is the body. */
    @MethodSource("responseBodies")
    @FuzzTest
    void responseBody(byte[] input) throws ProtocolException {
        if (input.length == 0) {
            return;
        }
        Suite suite = suiteOf(input[0]);
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        ResponseBody parsed = parsedOrRefused(() -> ResponseBody.parse(body, suite), ErrorCode.MALFORMED_MESSAGE);
        if (parsed != null) {
            assertArrayEquals(body, parsed.encode());
            assertEquals(suite.kem().ciphertextLength(), parsed.ciphertext().length);
            assertArrayEquals(parsed.sealed(), ResponseBody.parse(parsed.encode(), suite).sealed());
        }
    }

    @MethodSource("responsePayloads")
    @FuzzTest
    void responsePayload(byte[] plaintext) throws ProtocolException {
        ResponsePayload parsed = parsedOrRefused(() -> ResponsePayload.parse(plaintext), ErrorCode.MALFORMED_MESSAGE);
        if (parsed != null) {
            assertArrayEquals(plaintext, parsed.encode());
            assertArrayEquals(parsed.certificate(), ResponsePayload.parse(parsed.encode()).certificate());
        }
    }

    @MethodSource("confirmPayloads")
    @FuzzTest
    void confirmPayload(byte[] plaintext) throws ProtocolException {
        ConfirmPayload parsed = parsedOrRefused(() -> ConfirmPayload.parse(plaintext), ErrorCode.MALFORMED_MESSAGE);
        if (parsed != null) {
            assertArrayEquals(plaintext, parsed.encode());
            assertEquals(parsed.authenticated(), ConfirmPayload.parse(parsed.encode()).authenticated());
        }
    }

    @MethodSource("confirmBodies")
    @FuzzTest
    void confirmBody(byte[] body) throws ProtocolException {
        byte[] sealed = parsedOrRefused(() -> ConfirmPayload.sealedOfConfirmBody(body), ErrorCode.MALFORMED_MESSAGE);
        if (sealed != null) {
            assertArrayEquals(body, ConfirmPayload.confirmBody(sealed));
            assertArrayEquals(sealed, ConfirmPayload.sealedOfConfirmBody(ConfirmPayload.confirmBody(sealed)));
        }
    }

    @Test
    void everySeedIsAValidEncoding() throws ProtocolException {
        for (byte[] seed : Seeds.inputs(initiations())) {
            Initiation.parse(seed);
        }
        for (byte[] seed : Seeds.inputs(responseBodies())) {
            ResponseBody.parse(Arrays.copyOfRange(seed, 1, seed.length), suiteOf(seed[0]));
        }
        for (byte[] seed : Seeds.inputs(responsePayloads())) {
            ResponsePayload.parse(seed);
        }
        for (byte[] seed : Seeds.inputs(confirmPayloads())) {
            ConfirmPayload.parse(seed);
        }
        for (byte[] seed : Seeds.inputs(confirmBodies())) {
            ConfirmPayload.sealedOfConfirmBody(seed);
        }
    }

    static Suite suiteOf(byte selector) {
        Suite[] suites = Suite.values();
        return suites[(selector & 0xFF) % suites.length];
    }

    static Stream<Arguments> initiations() {
        SplittableRandom random = new SplittableRandom(1);
        List<Arguments> seeds = new ArrayList<>();
        for (Suite suite : Suite.values()) {
            byte[] offered = suite == Suite.DEFAULT ? new byte[] {(byte) suite.id()}
                : new byte[] {(byte) suite.id(), UNKNOWN_SUITE_ID, (byte) Suite.DEFAULT.id()};
            seeds.add(Seeds.named("a mutual initiation in " + suite, new Initiation(new byte[Protocol.COOKIE_LENGTH],
                1_795_305_600_000L, bytes(random, 32), Initiation.FLAG_MUTUAL, suite, offered,
                bytes(random, suite.kem().publicKeyLength()), 0).encode()));
        }
        seeds.add(Seeds.named("a padded anonymous initiation with a cookie", new Initiation(
            bytes(random, Protocol.COOKIE_LENGTH), 0, bytes(random, 32), 0, Suite.DEFAULT, new byte[] {1, 2, 3, 4},
            bytes(random, Suite.DEFAULT.kem().publicKeyLength()), 40).encode()));
        return seeds.stream();
    }

    static Stream<Arguments> responseBodies() {
        SplittableRandom random = new SplittableRandom(2);
        List<Arguments> seeds = new ArrayList<>();
        for (Suite suite : Suite.values()) {
            byte[] body = new ResponseBody(bytes(random, 32), bytes(random, suite.kem().ciphertextLength()),
                bytes(random, Protocol.TAG_LENGTH + 40 * suite.id())).encode();
            byte[] seed = new byte[1 + body.length];
            seed[0] = (byte) suite.ordinal();
            System.arraycopy(body, 0, seed, 1, body.length);
            seeds.add(Seeds.named("a response body in " + suite, seed));
        }
        return seeds.stream();
    }

    static Stream<Arguments> responsePayloads() {
        SplittableRandom random = new SplittableRandom(3);
        return Stream.of(
            Seeds.named("a response payload", new ResponsePayload(bytes(random, 300), bytes(random, 120),
                bytes(random, 32)).encode()),
            Seeds.named("the shortest response payload", new ResponsePayload(bytes(random, 1), bytes(random, 1),
                bytes(random, 32)).encode()));
    }

    static Stream<Arguments> confirmPayloads() {
        SplittableRandom random = new SplittableRandom(4);
        return Stream.of(
            Seeds.named("an authenticated confirm payload", new ConfirmPayload(bytes(random, 250), bytes(random, 90),
                bytes(random, 32)).encode()),
            Seeds.named("an anonymous confirm payload", new ConfirmPayload(null, null, bytes(random, 32)).encode()));
    }

    static Stream<Arguments> confirmBodies() {
        SplittableRandom random = new SplittableRandom(5);
        return Stream.of(
            Seeds.named("a confirm body around a bare tag", ConfirmPayload.confirmBody(bytes(random, Protocol.TAG_LENGTH))),
            Seeds.named("a confirm body", ConfirmPayload.confirmBody(bytes(random, 400))));
    }
}
