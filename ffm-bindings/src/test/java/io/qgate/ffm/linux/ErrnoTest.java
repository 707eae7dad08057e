package io.qgate.ffm.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void namesEveryConstantItDeclares() throws IllegalAccessException {
        int constants = 0;
        for (Field field : Errno.class.getDeclaredFields()) {
            int modifiers = field.getModifiers();
            if (Modifier.isPublic(modifiers) && Modifier.isStatic(modifiers) && field.getType() == int.class) {
                assertEquals(field.getName(), Errno.name(field.getInt(null)),
                    "Errno." + field.getName() + " needs its case in Errno.name");
                constants++;
            }
        }
        assertTrue(constants > 30, "found only " + constants + " constants");
    }

    @Test
    void namesAnUnlistedErrnoByNumber() {
        assertEquals("errno 4095", Errno.name(4095));
    }
}
