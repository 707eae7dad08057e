package io.qgate.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AmplificationBudgetTest {
    @Test
    void allowsExactlyThreeTimesTheReceivedBytesBeforeValidation() {
        assertTrue(AmplificationBudget.mayRespond(1_200, 3_600, false));
        assertFalse(AmplificationBudget.mayRespond(1_200, 3_601, false));
        assertFalse(AmplificationBudget.mayRespond(0, 1, false));
        assertTrue(AmplificationBudget.mayRespond(0, 0, false));
    }

    @Test
    void allowsAnyResponseToAValidatedAddress() {
        assertTrue(AmplificationBudget.mayRespond(0, 70_000, true));
    }

    @Test
    void bytesNeededIsTheCeilingOfAThird() {
        assertEquals(1_200, AmplificationBudget.bytesNeeded(3_600));
        assertEquals(1_201, AmplificationBudget.bytesNeeded(3_601));
        assertEquals(0, AmplificationBudget.bytesNeeded(0));
        long response = Fragmenter.datagramBytes(20_000, 1_200);
        long needed = AmplificationBudget.bytesNeeded(response);
        assertTrue(AmplificationBudget.mayRespond(needed, response, false));
        assertFalse(AmplificationBudget.mayRespond(needed - 1, response, false));
    }

    @Test
    void doesNotOverflowForHugeCounts() {
        assertTrue(AmplificationBudget.mayRespond(Long.MAX_VALUE, Long.MAX_VALUE, false));
    }

    @Test
    void rejectsNegativeCounts() {
        assertThrows(IllegalArgumentException.class, () -> AmplificationBudget.mayRespond(-1, 0, false));
        assertThrows(IllegalArgumentException.class, () -> AmplificationBudget.mayRespond(0, -1, true));
        assertThrows(IllegalArgumentException.class, () -> AmplificationBudget.bytesNeeded(-1));
    }
}
