package io.peat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** 16 threads x 100,000 calls under allocation pressure, GC and Java exceptions (see {@link StressMain}). */
class StressTest {
  @Test
  void sixteenThreadsHundredThousandCallsEach() throws Exception {
    StressMain.Result r = StressMain.run(16, 100_000);
    assertEquals(1_600_000L, r.calls());
    assertEquals(200_000L, r.errors(), "every garbage input threw DecodeException");
    assertEquals(200_000L, r.javaThrows());
    assertEquals(200_000L, r.artifacts(), "every artifact verifier's life was checked");
    long replicaTurns = 0;
    for (int id = 0; id < 16; id++) {
      for (int i = 0; i < 100_000; i++) {
        replicaTurns += StressMain.replicaTurn(id, i) ? 1 : 0;
      }
    }
    assertTrue(replicaTurns > 20_000, "replica turns: " + replicaTurns);
    assertEquals(replicaTurns, r.replicas(), "every replica's life was checked");
    assertTrue(r.gcs() > 0);
  }
}
