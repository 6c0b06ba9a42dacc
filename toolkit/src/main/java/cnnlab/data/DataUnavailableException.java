package cnnlab.data;

/**
 * A data set could not be fetched or read: no npm, no network, a tarball whose checksum does not match, or a
 * damaged cache file. The message says what happened and, on a second line starting {@code hint:}, how to get
 * the data.
 */
public class DataUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DataUnavailableException(String message) {
        super(message);
    }

    public DataUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
