export { codeOf, errorOf, expectNoLeaks, rejectionOf } from '@engram/test-support';
