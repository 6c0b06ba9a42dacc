/**
 * cnnlab: the building blocks of convolutional networks for hands-on labs. Start at {@link cnnlab.Cnn}.
 */
package cnnlab;
