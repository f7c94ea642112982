package cim.core.codes;

/**
 * What one {@code codes assign} run keeps from chunk to chunk: the customers it has seen, the blocking keys when it
 * holds them (null when it looks them up), and the separations stewards made.
 */
record RunMemory(KnownCustomers customers, RunKeys keys, Separations separations) { }
