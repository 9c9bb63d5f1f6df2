/* An OpenMP program: parallel loops with a reduction and a critical section. libgomp keeps its team threads
 * parked after each region and never joins them (the default suppressions know it). */
#include <omp.h>
#include <stdio.h>

int main(void)
{
    long sum = 0, hits = 0;
    for (int round = 0; round < 3; round++) {
#pragma omp parallel for reduction(+ : sum) num_threads(3)
        for (long i = 0; i < 2000000; i++)
            sum += i % 7;
#pragma omp parallel num_threads(3)
        {
#pragma omp critical
            hits++;
        }
    }
    printf("sum %ld, regions entered %ld times\n", sum, hits);
    return 0;
}
