export { codeOf, errorOf, expectNoLeaks, rejectionOf, relativeError } from '@engram/test-support';
