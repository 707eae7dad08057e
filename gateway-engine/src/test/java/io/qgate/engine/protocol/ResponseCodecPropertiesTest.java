package io.qgate.engine.protocol;

import static io.qgate.engine.fuzz.ParserContract.parsedOrRefused;
import static io.qgate.engine.protocol.InitiationPropertiesTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the {@code RESPONSE} codecs (section 5.3 of {@code docs/PROTOCOL.md}): the body
 * ({@link ResponseBody}, whose ciphertext length the suite fixes) and the sealed payload R
 * ({@link ResponsePayload}).
 */
class ResponseCodecPropertiesTest {
    /** A response body and the suite it was made for. */
    record SuiteBody(Suite suite, ResponseBody body) {
    }

    @Property(tries = 300)
    void everyValidBodyRoundTripsFieldByField(@ForAll("bodies") SuiteBody given) throws ProtocolException {
        ResponseBody parsed = ResponseBody.parse(given.body().encode(), given.suite());
        assertArrayEquals(given.body().random(), parsed.random());
        assertArrayEquals(given.body().ciphertext(), parsed.ciphertext());
        assertArrayEquals(given.body().sealed(), parsed.sealed());
        assertArrayEquals(given.body().transcriptPrefix(), parsed.transcriptPrefix());
    }

    @Property(tries = 300)
    void everyTruncatedBodyIsRefused(@ForAll("bodies") SuiteBody given, @ForAll int cut) {
        CodecProperties.assertTruncationRefused(body -> ResponseBody.parse(body, given.suite()), given.body().encode(), cut);
    }

    @Property(tries = 300)
    void everyExtendedBodyIsRefused(@ForAll("bodies") SuiteBody given, @ForAll @Size(min = 1, max = 40) byte[] extra) {
        CodecProperties.assertExtensionRefused(body -> ResponseBody.parse(body, given.suite()), given.body().encode(), extra);
    }

    @Property(tries = 300)
    void aBodyOfAnotherSuitesCiphertextLengthIsRefused(@ForAll("bodies") SuiteBody given, @ForAll Suite other) {
        if (other.kem().ciphertextLength() != given.suite().kem().ciphertextLength()) {
            ProtocolException refused = assertThrows(ProtocolException.class,
                () -> ResponseBody.parse(given.body().encode(), other));
            assertEquals(ErrorCode.MALFORMED_MESSAGE, refused.error());
        }
    }

    @Property
    void randomBytesAreParsedOrRefusedAsBodies(@ForAll @Size(max = 200) byte[] bytes, @ForAll Suite suite) {
        parsedOrRefused(() -> ResponseBody.parse(bytes, suite), ErrorCode.MALFORMED_MESSAGE);
    }

    @Property(tries = 300)
    void everyValidPayloadRoundTripsFieldByField(@ForAll("payloads") ResponsePayload payload) throws ProtocolException {
        ResponsePayload parsed = ResponsePayload.parse(payload.encode());
        assertArrayEquals(payload.certificate(), parsed.certificate());
        assertArrayEquals(payload.signature(), parsed.signature());
        assertArrayEquals(payload.finished(), parsed.finished());
    }

    @Property(tries = 300)
    void everyTruncatedPayloadIsRefused(@ForAll("payloads") ResponsePayload payload, @ForAll int cut) {
        CodecProperties.assertTruncationRefused(ResponsePayload::parse, payload.encode(), cut);
    }

    @Property(tries = 300)
    void everyExtendedPayloadIsRefused(@ForAll("payloads") ResponsePayload payload,
            @ForAll @Size(min = 1, max = 40) byte[] extra) {
        CodecProperties.assertExtensionRefused(ResponsePayload::parse, payload.encode(), extra);
    }

    @Property
    void randomBytesAreParsedOrRefusedAsPayloads(@ForAll @Size(max = 200) byte[] bytes) {
        ResponsePayload parsed = parsedOrRefused(() -> ResponsePayload.parse(bytes), ErrorCode.MALFORMED_MESSAGE);
        if (parsed != null) {
            assertArrayEquals(bytes, parsed.encode());
        }
    }

    @Provide
    static Arbitrary<SuiteBody> bodies() {
        return Arbitraries.of(Suite.class).flatMap(suite -> Combinators.combine(
            bytes(Protocol.RANDOM_LENGTH),
            bytes(suite.kem().ciphertextLength()),
            Arbitraries.bytes().array(byte[].class).ofMinSize(Protocol.TAG_LENGTH).ofMaxSize(3000))
            .as((random, ciphertext, sealed) -> new SuiteBody(suite, new ResponseBody(random, ciphertext, sealed))));
    }

    @Provide
    static Arbitrary<ResponsePayload> payloads() {
        return Combinators.combine(
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6000),
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(5000),
            bytes(Protocol.FINISHED_LENGTH))
            .as(ResponsePayload::new);
    }
}
