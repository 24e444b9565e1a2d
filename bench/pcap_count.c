/* The floor for "how fast can a capture be read": a bare libpcap
 * pcap_next_ex loop that only counts packets and bytes. minetrace's scan
 * is compared against it in bench/run.sh. */
#include <pcap/pcap.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char err[PCAP_ERRBUF_SIZE];
    if (argc != 2) {
        fprintf(stderr, "usage: pcap_count FILE\n");
        return 2;
    }
    pcap_t *p = pcap_open_offline(argv[1], err);
    if (!p) {
        fprintf(stderr, "pcap_count: %s\n", err);
        return 1;
    }
    struct pcap_pkthdr *h;
    const u_char *d;
    unsigned long long n = 0, bytes = 0, sum = 0;
    while (pcap_next_ex(p, &h, &d) == 1) {
        n++;
        bytes += h->caplen;
        sum += d[h->caplen ? h->caplen - 1 : 0]; /* touch the data */
    }
    printf("%llu packets %llu bytes (%llu)\n", n, bytes, sum & 1);
    pcap_close(p);
    return 0;
}
