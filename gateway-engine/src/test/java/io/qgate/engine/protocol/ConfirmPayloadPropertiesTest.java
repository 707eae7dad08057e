package io.qgate.engine.protocol;

import static io.qgate.engine.fuzz.ParserContract.parsedOrRefused;
import static io.qgate.engine.protocol.InitiationPropertiesTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the {@code CONFIRM} codecs (section 5.4 of {@code docs/PROTOCOL.md}): the sealed
 * payload C ({@link ConfirmPayload}), mutual or anonymous, and the body around it.
 */
class ConfirmPayloadPropertiesTest {
    @Property(tries = 300)
    void everyValidPayloadRoundTripsFieldByField(@ForAll("payloads") ConfirmPayload payload) throws ProtocolException {
        ConfirmPayload parsed = ConfirmPayload.parse(payload.encode());
        assertEquals(payload.authenticated(), parsed.authenticated());
        assertArrayEquals(payload.certificate(), parsed.certificate());
        assertArrayEquals(payload.signature(), parsed.signature());
        assertArrayEquals(payload.finished(), parsed.finished());
        assertArrayEquals(ConfirmPayload.identityField(payload.certificate()),
            Arrays.copyOf(payload.encode(), ConfirmPayload.identityField(payload.certificate()).length));
    }

    @Property(tries = 300)
    void everyTruncatedPayloadIsRefused(@ForAll("payloads") ConfirmPayload payload, @ForAll int cut) {
        CodecProperties.assertTruncationRefused(ConfirmPayload::parse, payload.encode(), cut);
    }

    @Property(tries = 300)
    void everyExtendedPayloadIsRefused(@ForAll("payloads") ConfirmPayload payload,
            @ForAll @Size(min = 1, max = 40) byte[] extra) {
        CodecProperties.assertExtensionRefused(ConfirmPayload::parse, payload.encode(), extra);
    }

    @Property
    void randomBytesAreParsedOrRefusedAsPayloads(@ForAll @Size(max = 200) byte[] bytes) {
        ConfirmPayload parsed = parsedOrRefused(() -> ConfirmPayload.parse(bytes), ErrorCode.MALFORMED_MESSAGE);
        if (parsed != null) {
            assertArrayEquals(bytes, parsed.encode());
        }
    }

    @Property(tries = 100)
    void aPayloadItsParserWouldRefuseCannotBeMade(@ForAll @Size(max = 2) byte[] certificate,
            @ForAll @Size(max = 2) byte[] signature, @ForAll @Size(Protocol.FINISHED_LENGTH) byte[] finished) {
        if (certificate.length == 0 || signature.length == 0) {
            assertThrows(IllegalArgumentException.class, () -> new ConfirmPayload(certificate, signature, finished));
        } else {
            ConfirmPayload made = new ConfirmPayload(certificate, signature, finished);
            assertArrayEquals(made.encode(), assertDoesNotThrow(() -> ConfirmPayload.parse(made.encode())).encode());
        }
    }

    @Property(tries = 300)
    void everySealedPayloadRoundTripsThroughItsBody(@ForAll("sealed") byte[] sealed) throws ProtocolException {
        assertArrayEquals(sealed, ConfirmPayload.sealedOfConfirmBody(ConfirmPayload.confirmBody(sealed)));
    }

    @Property(tries = 300)
    void everyTruncatedOrExtendedBodyIsRefused(@ForAll("sealed") byte[] sealed, @ForAll int cut,
            @ForAll @Size(min = 1, max = 40) byte[] extra) {
        byte[] body = ConfirmPayload.confirmBody(sealed);
        CodecProperties.assertTruncationRefused(ConfirmPayload::sealedOfConfirmBody, body, cut);
        CodecProperties.assertExtensionRefused(ConfirmPayload::sealedOfConfirmBody, body, extra);
    }

    @Property
    void randomBytesAreParsedOrRefusedAsBodies(@ForAll @Size(max = 100) byte[] bytes) {
        parsedOrRefused(() -> ConfirmPayload.sealedOfConfirmBody(bytes), ErrorCode.MALFORMED_MESSAGE);
    }

    /** Mutual payloads (a certificate and a signature) and anonymous ones, half each. */
    @Provide
    static Arbitrary<ConfirmPayload> payloads() {
        Arbitrary<ConfirmPayload> mutual = Combinators.combine(
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(6000),
            Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(5000),
            bytes(Protocol.FINISHED_LENGTH))
            .as(ConfirmPayload::new);
        Arbitrary<ConfirmPayload> anonymous = bytes(Protocol.FINISHED_LENGTH)
            .map(finished -> new ConfirmPayload(null, null, finished));
        return Arbitraries.oneOf(mutual, anonymous);
    }

    @Provide
    static Arbitrary<byte[]> sealed() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(Protocol.TAG_LENGTH).ofMaxSize(8000);
    }
}
