// Why: the page's entry point; everything else hangs off <cp-app>.
import './ui/cp-app';
import { registerOffline } from './offline';

registerOffline();
