package cnnlab.check;

import java.util.List;

/**
 * A group of cases worth {@code points}, all or nothing: the points are given when every case of the group that
 * ran (public, plus hidden when grading) passed.
 */
record Group(String name, double points, List<Case> publicCases, List<Case> hiddenCases) {
    Group {
        publicCases = List.copyOf(publicCases);
        hiddenCases = List.copyOf(hiddenCases);
    }
}
