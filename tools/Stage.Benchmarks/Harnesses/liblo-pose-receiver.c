/*
 * liblo baseline for `stage bench tracking --baseline liblo`: the same job Stage's OSC tracking
 * source does, done by liblo (0.31, Debian liblo7), so both can be fed the same traffic and measured
 * the same way.
 *
 *   liblo-pose-receiver CAMERAS
 *
 * Binds a UDP socket on 127.0.0.1 (port chosen by the system, 1 MiB receive buffer, as Stage does),
 * prints "port P" and "clock NS" (CLOCK_MONOTONIC, the clock .NET's Stopwatch reads on Linux), then:
 *   - the receive thread (main) waits with poll(), receives a datagram, stamps it with CLOCK_MONOTONIC
 *     as soon as recv() returns (where Stage stamps), and hands it to liblo's parser and dispatcher
 *     (lo_server_dispatch_data); a method per camera, "/camera/camN/pose" with "ffffff", stores the
 *     pose with its stamp in the camera's slot under a sequence lock (as Stage's PoseBuffer does, but
 *     one slot instead of a ring);
 *   - a reader thread polls camera 0's slot (yielding while nothing is new) and, for every new write it sees, records
 *     "r <receive-to-readable ns> <x> <readable ns>".
 * Stops at a line (or end of file) on stdin, then prints the records and "applied N" (all cameras).
 *
 * liblo's headers (liblo-dev) are not needed: the few declarations used are below, as liblo 0.31's
 * lo.h / lo_lowlevel.h declare them.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef void *lo_server;
typedef void *lo_message;
typedef void *lo_method;
typedef union { int32_t i; float f; int64_t h; double d; } lo_arg;
typedef int (*lo_method_handler)(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg, void *user_data);
typedef void (*lo_err_handler)(int num, const char *msg, const char *where);
lo_server lo_server_new(const char *port, lo_err_handler err_h);
lo_method lo_server_add_method(lo_server s, const char *path, const char *typespec, lo_method_handler h, const void *user_data);
int lo_server_dispatch_data(lo_server s, void *data, size_t size);
void lo_server_free(lo_server s);

#define MAX_CAMERAS 64
#define MAX_RECORDS (1 << 20)

struct slot {
    _Atomic uint64_t version; /* odd while being written */
    _Atomic uint64_t written;
    float values[6];
    int64_t stamp_ns;
};

static struct slot slots[MAX_CAMERAS];
static int64_t current_stamp_ns;
static atomic_int stop_reader;
static int64_t rec_latency[MAX_RECORDS], rec_readable[MAX_RECORDS];
static float rec_x[MAX_RECORDS];
static long rec_count;

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int on_pose(const char *path, const char *types, lo_arg **argv, int argc, lo_message msg, void *user_data)
{
    (void)path; (void)types; (void)msg;
    struct slot *s = user_data;
    if (argc != 6) return 0;
    uint64_t v = atomic_load_explicit(&s->version, memory_order_relaxed);
    atomic_store_explicit(&s->version, v + 1, memory_order_relaxed);
    atomic_thread_fence(memory_order_seq_cst);
    for (int i = 0; i < 6; i++) s->values[i] = argv[i]->f;
    s->stamp_ns = current_stamp_ns;
    atomic_store_explicit(&s->version, v + 2, memory_order_release);
    atomic_fetch_add_explicit(&s->written, 1, memory_order_release);
    return 0;
}

static void *reader(void *arg)
{
    (void)arg;
    struct slot *s = &slots[0];
    uint64_t seen = 0;
    while (!atomic_load_explicit(&stop_reader, memory_order_acquire)) {
        uint64_t written = atomic_load_explicit(&s->written, memory_order_acquire);
        if (written == seen) {
            sched_yield(); /* as Stage's reader does: give the core away while nothing is new */
            continue;
        }
        float x;
        int64_t stamp;
        for (;;) {
            uint64_t v1 = atomic_load_explicit(&s->version, memory_order_acquire);
            if (v1 & 1) continue;
            x = s->values[0];
            stamp = s->stamp_ns;
            atomic_thread_fence(memory_order_seq_cst);
            if (atomic_load_explicit(&s->version, memory_order_relaxed) == v1) break;
        }
        int64_t readable = now_ns();
        seen = written;
        if (rec_count < MAX_RECORDS) {
            rec_latency[rec_count] = readable - stamp;
            rec_x[rec_count] = x;
            rec_readable[rec_count] = readable;
            rec_count++;
        }
    }
    return NULL;
}

static void on_error(int num, const char *msg, const char *where)
{
    fprintf(stderr, "liblo error %d: %s (%s)\n", num, msg, where ? where : "");
}

int main(int argc, char **argv)
{
    int cameras = argc > 1 ? atoi(argv[1]) : 0;
    if (cameras < 1 || cameras > MAX_CAMERAS) {
        fprintf(stderr, "usage: liblo-pose-receiver CAMERAS (1..%d)\n", MAX_CAMERAS);
        return 2;
    }
    lo_server server = lo_server_new(NULL, on_error);
    if (!server) return 1;
    for (int i = 0; i < cameras; i++) {
        char path[64];
        snprintf(path, sizeof path, "/camera/cam%d/pose", i);
        if (!lo_server_add_method(server, path, "ffffff", on_pose, &slots[i])) return 1;
    }
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    int size = 1 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("bind"); return 1; }
    socklen_t len = sizeof addr;
    getsockname(fd, (struct sockaddr *)&addr, &len);
    printf("port %d\nclock %lld\n", ntohs(addr.sin_port), (long long)now_ns());
    fflush(stdout);

    pthread_t thread;
    pthread_create(&thread, NULL, reader, NULL);
    static char buffer[65536];
    struct pollfd fds[2] = { { .fd = fd, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
    for (;;) {
        if (poll(fds, 2, 10) < 0) break;
        if (fds[1].revents) break;
        if (!(fds[0].revents & POLLIN)) continue;
        ssize_t n = recv(fd, buffer, sizeof buffer, 0);
        current_stamp_ns = now_ns();
        if (n > 0) lo_server_dispatch_data(server, buffer, (size_t)n);
    }
    atomic_store_explicit(&stop_reader, 1, memory_order_release);
    pthread_join(thread, NULL);
    for (long i = 0; i < rec_count; i++)
        printf("r %lld %.1f %lld\n", (long long)rec_latency[i], rec_x[i], (long long)rec_readable[i]);
    uint64_t applied = 0;
    for (int i = 0; i < cameras; i++) applied += atomic_load(&slots[i].written);
    printf("applied %llu\n", (unsigned long long)applied);
    lo_server_free(server);
    close(fd);
    return 0;
}
