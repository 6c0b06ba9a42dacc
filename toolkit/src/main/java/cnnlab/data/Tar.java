package cnnlab.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the tar format to read an npm tarball: ustar headers (name with prefix), pax {@code path}
 * records and GNU long names; regular files are handed over one by one, everything else is skipped.
 */
final class Tar {
    static final int BLOCK = 512;

    /** Receives each regular file; {@code content} ends with the file and needs no closing. */
    interface Handler {
        void file(String name, long size, InputStream content) throws IOException;
    }

    private Tar() {
    }

    /** Reads the (already un-gzipped) tar stream to its end-of-archive block. */
    static void read(InputStream in, Handler handler) throws IOException {
        byte[] header = new byte[BLOCK];
        String longName = null;
        while (true) {
            if (!readBlock(in, header)) {
                return; // end of stream without the end-of-archive blocks: accept, as GNU tar does
            }
            if (isZero(header)) {
                return;
            }
            verifyChecksum(header);
            String name = longName != null ? longName : name(header);
            longName = null;
            long size = size(header);
            char type = (char) header[156];
            Bounded content = new Bounded(in, size);
            switch (type) {
                case '0', '\0', '7' -> handler.file(name, size, content);
                case 'x' -> longName = paxPath(content.readAll());
                case 'L' -> longName = cString(content.readAll(), 0, (int) size);
                default -> {
                    // directories, links, global pax headers: nothing to read
                }
            }
            content.skipRest();
            long pad = (BLOCK - size % BLOCK) % BLOCK;
            skipFully(in, pad);
        }
    }

    private static String name(byte[] header) {
        String name = cString(header, 0, 100);
        boolean ustar = new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static long size(byte[] header) throws IOException {
        if ((header[124] & 0x80) != 0) { // base-256, for files of 8 GB and more
            long v = 0;
            for (int i = 125; i < 136; i++) {
                v = (v << 8) | (header[i] & 0xff);
            }
            return v;
        }
        return octal(header, 124, 12);
    }

    private static void verifyChecksum(byte[] header) throws IOException {
        long stored = octal(header, 148, 8);
        long sum = 0;
        for (int i = 0; i < BLOCK; i++) {
            sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
        }
        if (sum != stored) {
            throw new IOException("not a tar archive (header checksum " + stored + ", computed " + sum + ")");
        }
    }

    private static long octal(byte[] b, int off, int len) throws IOException {
        long v = 0;
        for (int i = off; i < off + len; i++) {
            int c = b[i];
            if (c == 0 || c == ' ') {
                if (v != 0) {
                    break;
                }
                continue;
            }
            if (c < '0' || c > '7') {
                throw new IOException("not a tar archive (bad octal field)");
            }
            v = v * 8 + (c - '0');
        }
        return v;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    /** The {@code path} record of a pax header ("LEN path=VALUE\n" records), or null. */
    private static String paxPath(byte[] records) {
        String text = new String(records, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.startsWith("path=", space + 1)) {
                return line.substring(space + 1 + "path=".length());
            }
        }
        return null;
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0) {
            return false;
        }
        if (n < BLOCK) {
            throw new EOFException("tar archive cut short");
        }
        return true;
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        in.skipNBytes(n);
    }

    /** One entry's bytes; reading stops at its end, and closing does not close the archive. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long size) {
            this.in = in;
            this.left = size;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b < 0) {
                throw new EOFException("tar archive cut short");
            }
            left--;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, left));
            if (n < 0) {
                throw new EOFException("tar archive cut short");
            }
            left -= n;
            return n;
        }

        byte[] readAll() throws IOException {
            return readNBytes(Math.toIntExact(left));
        }

        void skipRest() throws IOException {
            in.skipNBytes(left);
            left = 0;
        }

        @Override
        public void close() {
            // the archive stays open for the next entry
        }
    }
}
