/*
 * The per-packet EVP call sequence of qgate's OpenSSL AEAD backend (OpenSslAeadCipher.seal),
 * timed in C with no JVM in between, to tell the binding's cost from libcrypto's own.
 *
 *   gcc -O2 -o /tmp/evp_sequence benchmarks/native/evp_sequence.c -lcrypto
 *   /tmp/evp_sequence aes-256-gcm 1420      # or chacha20-poly1305; sizes as in AeadBenchmark
 *
 * Prints packets sealed per second over 2 seconds: key set once, then per packet
 * EVP_CipherInit_ex (nonce only), 16 bytes of AAD, the payload in place, EVP_EncryptFinal_ex and
 * EVP_CTRL_AEAD_GET_TAG.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv) {
    if (argc != 3 || (strcmp(argv[1], "aes-256-gcm") != 0 && strcmp(argv[1], "chacha20-poly1305") != 0)) {
        fprintf(stderr, "usage: %s aes-256-gcm|chacha20-poly1305 SIZE\n", argv[0]);
        return 2;
    }
    const EVP_CIPHER *cipher = strcmp(argv[1], "aes-256-gcm") == 0 ? EVP_aes_256_gcm() : EVP_chacha20_poly1305();
    int size = atoi(argv[2]);
    if (size < 0 || size > 9000) {
        fprintf(stderr, "SIZE must be 0..9000\n");
        return 2;
    }
    static unsigned char buffer[9000 + 16];
    unsigned char key[32] = {7}, nonce[12] = {0}, aad[16] = {1}, tag[16];
    int written;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL || EVP_CipherInit_ex(ctx, cipher, NULL, key, NULL, 1) != 1) {
        fprintf(stderr, "EVP setup failed\n");
        return 1;
    }
    long packets = 0;
    double start = seconds(), elapsed;
    do {
        for (int i = 0; i < 1000; i++, packets++) {
            memcpy(nonce + 4, &packets, sizeof packets);
            if (EVP_CipherInit_ex(ctx, NULL, NULL, NULL, nonce, 1) != 1
                || EVP_EncryptUpdate(ctx, NULL, &written, aad, sizeof aad) != 1
                || EVP_EncryptUpdate(ctx, buffer, &written, buffer, size) != 1
                || EVP_EncryptFinal_ex(ctx, tag, &written) != 1
                || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, tag) != 1) {
                fprintf(stderr, "EVP seal failed\n");
                return 1;
            }
        }
        elapsed = seconds() - start;
    } while (elapsed < 2.0);
    printf("%s %d bytes: %.0f packets/s\n", argv[1], size, packets / elapsed);
    EVP_CIPHER_CTX_free(ctx);
    return 0;
}
