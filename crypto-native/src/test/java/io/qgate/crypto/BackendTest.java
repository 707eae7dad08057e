package io.qgate.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class BackendTest {
    @Test
    void parsesConfigurationNamesIgnoringCaseAndSpace() {
        assertEquals(Backend.OPENSSL, Backend.fromId(" OpenSSL "));
        for (Backend b : Backend.values()) {
            assertEquals(b, Backend.fromId(b.id()));
        }
    }

    @Test
    void unknownNameListsTheValidOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Backend.fromId("boringssl"));
        assertEquals("unknown crypto backend 'boringssl': use one of jdk, openssl, bouncycastle, liboqs", e.getMessage());
    }
}
