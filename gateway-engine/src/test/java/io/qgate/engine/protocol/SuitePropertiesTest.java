package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class SuitePropertiesTest {
    @Property
    void everyIdIsASuiteThatRoundTripsOrNothing(@ForAll @IntRange(min = -5, max = 300) int id) {
        Suite suite = Suite.fromId(id);
        if (suite != null) {
            assertEquals(id, suite.id());
            assertSame(suite, Suite.fromName(suite.suiteName()));
            assertTrue(suite.isIn(Suite.VALID_MASK));
        } else {
            assertTrue(id < 1 || id > 4, "id " + id + " should name a suite");
        }
    }

    @Property
    void everyCodeIsAnErrorThatRoundTripsOrNothing(@ForAll @IntRange(min = -5, max = 70_000) int code) {
        ErrorCode error = ErrorCode.fromCode(code);
        if (error != null) {
            assertEquals(code, error.code());
        } else {
            assertTrue(code < 1 || code > ErrorCode.values().length);
        }
    }
}
