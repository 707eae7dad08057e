package io.qgate.engine.trust;

import static io.qgate.engine.trust.TrustFixtures.GATEWAY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qgate.crypto.sig.SignatureAlgorithm;
import io.qgate.engine.protocol.ProtocolException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArmourTest {
    private static final String BEGIN = "-----BEGIN QGATE CERTIFICATE-----\n";
    private static final String END = "-----END QGATE CERTIFICATE-----\n";

    @Test
    void encodesBase64In64CharacterLinesBetweenBeginAndEnd() {
        String text = Armour.encode(Armour.CERTIFICATE, GATEWAY.encoded());
        assertTrue(text.startsWith(BEGIN), text);
        assertTrue(text.endsWith(END), text);
        String[] lines = text.split("\n");
        for (int i = 1; i < lines.length - 2; i++) {
            assertEquals(64, lines[i].length(), "line " + i);
        }
        assertTrue(lines[lines.length - 2].length() <= 64);
    }

    @Test
    void decodesWhatItEncodedForEveryLabel() throws ProtocolException {
        assertEquals(GATEWAY, Certificate.parse(Armour.decode(Armour.encode(Armour.CERTIFICATE, GATEWAY.encoded()), Armour.CERTIFICATE)));
        byte[] key = TrustFixtures.key(SignatureAlgorithm.ML_DSA_44, 40).encodePrivateKey();
        assertArrayEquals(key, Armour.decode(Armour.encode(Armour.PRIVATE_KEY, key), Armour.PRIVATE_KEY));
        byte[] list = TrustFixtures.CA.revoke(1, 0, 1, java.util.List.of()).encoded();
        assertArrayEquals(list, Armour.decode(Armour.encode(Armour.REVOCATION_LIST, list), Armour.REVOCATION_LIST));
    }

    @Test
    void ignoresCommentsBlankLinesCarriageReturnsAndOtherLineLengths() {
        String text = "# gateway gw1\n\n" + BEGIN + "AQID\r\nBAUG\n" + END + "\n# end\n";
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, Armour.decode(text, Armour.CERTIFICATE));
    }

    @Test
    void refusesAnotherLabel() {
        String key = Armour.encode(Armour.PRIVATE_KEY, new byte[] {1});
        refused(key, "holds a QGATE PRIVATE KEY, not a QGATE CERTIFICATE");
        refused(BEGIN + "AQ==\n-----END QGATE PRIVATE KEY-----\n", "ends a QGATE PRIVATE KEY block");
    }

    @Test
    void refusesAMissingBeginOrEndLine() {
        refused("", "has no -----BEGIN QGATE CERTIFICATE----- line");
        refused("# only a comment\n", "has no -----BEGIN");
        refused(BEGIN + "AQID\n", "has no -----END QGATE CERTIFICATE----- line");
        refused(BEGIN + "AQID\n\n", "has no -----END QGATE CERTIFICATE----- line");
        refused(BEGIN + "AQID\n" + BEGIN + "AQID\n" + END, "END line missing");
    }

    @Test
    void refusesBadBase64AndEmptyBlocks() {
        refused(BEGIN + "AQI*\n" + END, "not valid base64");
        refused(BEGIN + "AQI\n" + END, "not valid base64");
        refused(BEGIN + END, "empty block");
    }

    @Test
    void refusesMoreThanOneBlockAndStrayText() {
        String one = Armour.encode(Armour.CERTIFICATE, new byte[] {1});
        refused(one + one, "more than one block");
        refused("hello\n" + one, "line 1, is outside the block");
        refused(one + "trailer\n", "is outside the block");
        refused("-----BEGIN QGATE CERTIFICATE\nAQ==\n" + END, "does not end in -----");
        refused(BEGIN + BEGIN + "AQ==\n" + END, "line 2, inside the block is not base64");
    }

    @Test
    void refusesTextOverTheBound() {
        String huge = "#".repeat(Armour.MAX_TEXT_LENGTH + 1);
        refused(huge, "more than the " + Armour.MAX_TEXT_LENGTH);
    }

    @Test
    void boundHoldsTheLargestRevocationList() {
        int largest = 2 + 32 + 24 + 4 + RevocationList.MAX_COUNT * 16 + 2 + SignatureAlgorithm.SLH_DSA_SHAKE_256F.signatureLength();
        String text = Armour.encode(Armour.REVOCATION_LIST, new byte[largest]);
        assertTrue(text.length() <= Armour.MAX_TEXT_LENGTH, text.length() + " characters");
        assertEquals(largest, Armour.decode(text, Armour.REVOCATION_LIST).length);
    }

    @Test
    void refusesLabelsThatAreNotUpperCaseWords() {
        assertThrows(IllegalArgumentException.class, () -> Armour.encode("qgate key", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> Armour.encode("", new byte[1]));
        assertThrows(IllegalArgumentException.class, () -> Armour.decode("", "A-----B"));
    }

    @Test
    void writesPrivateKeysWithMode0600AndNeverOverwrites(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("gateway.key");
        String text = Armour.encode(Armour.PRIVATE_KEY, new byte[] {1, 2, 3});
        Armour.writePrivate(file, text);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(text, Files.readString(file, StandardCharsets.US_ASCII));
        FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class, () -> Armour.writePrivate(file, "other"));
        assertTrue(e.getMessage().contains("never overwrites"), e.getMessage());
        assertEquals(text, Files.readString(file, StandardCharsets.US_ASCII));
    }

    private static void refused(String text, String cause) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Armour.decode(text, Armour.CERTIFICATE));
        assertTrue(e.getMessage().contains(cause), "'" + e.getMessage() + "' should say " + cause);
        assertTrue(e.getMessage().startsWith("the QGATE CERTIFICATE text"), e.getMessage());
    }
}
