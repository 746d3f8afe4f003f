package trace

// pageCSS is the page's whole style sheet. The six field colours
// alternate light and darker backgrounds and differ in underline style, so
// that neighbouring fields stay apart in greyscale; text is always black on
// them. Tooltips are pure CSS (:hover, :focus), so they work with
// JavaScript off.
const pageCSS = `
:root{--ink:#111;--line:#333;--muted:#444;--paper:#fff;--tint:#f3f3f3}
*{box-sizing:border-box}
body{margin:0;overflow-wrap:anywhere;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--paper)}
header,main{max-width:1240px;margin:0 auto;padding:0 1rem}
h1{font-size:1.6rem;margin:1rem 0 .2rem}
h2{font-size:1.3rem;margin:2rem 0 .6rem;border-bottom:2px solid var(--line)}
h3{font-size:1.1rem;margin:0 0 .3rem}
h4{font-size:.95rem;margin:.2rem 0}
code{font-family:ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace}
.sub,.meta,.note,.hint{color:var(--muted)}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#ff0;padding:.3rem}
a{color:#003a8c}a:focus,.f:focus{outline:3px solid #000;outline-offset:2px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:700}dd{margin:0}
.lhead{display:flex;justify-content:space-between;font-weight:700;border-bottom:4px solid var(--line)}
.ladder{list-style:none;margin:0;padding:0;border-left:4px solid var(--line);border-right:4px solid var(--line)}
.rung a{display:block;position:relative;margin:.15rem 0;padding:.15rem 1.2rem .7rem;text-align:center;text-decoration:none;color:inherit}
.rung a:hover{background:var(--tint)}
.rung a::after{content:"";position:absolute;left:0;right:0;bottom:.25rem;border-bottom:2px solid var(--line)}
.rung.encrypted a::after{border-bottom:5px double var(--line)}
.rung.c2s a::before{content:"▶";position:absolute;right:-.2rem;bottom:-.3rem}
.rung.s2c a::before{content:"◀";position:absolute;left:-.2rem;bottom:-.3rem}
.rung.note a{text-align:left;font-style:italic;padding-bottom:.2rem}.rung.note.server a{text-align:right}
.rung.note a::after{display:none}
.lbl{display:block;font-weight:600}.rung .meta{display:block;font-size:.85em}
.rec,.calc,.verify{border:2px solid var(--line);border-radius:6px;padding:.7rem;margin:1rem 0}
.rec.server{border-style:solid dashed}
.panes{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,27rem),1fr));gap:1rem}
.panes.small{margin-top:.6rem}
.pane{min-width:0}
.hex{font:.95rem/2 ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace;max-width:50ch;overflow-wrap:anywhere}
.f{position:relative;padding:.1rem 0;cursor:help;border-radius:2px}
.k0{background:#fff6c2;border-bottom:2px solid #7a6000}
.k1{background:#8ccaf2;border-bottom:2px dashed #083d61}
.k2{background:#fde2f0;border-bottom:2px dotted #7d1b52}
.k3{background:#a6d9a6;border-bottom:3px double #155215}
.k4{background:#fff0dc;border-bottom:2px solid #7a4300}
.k5{background:#c9b8f0;border-bottom:2px dashed #3a217a}
.f:hover,.f:focus{background:#111;color:#fff}
.gap{color:#900}
.cut{font-style:italic}
.tip{display:none}
.f:hover>.tip,.f:focus>.tip{display:block;position:absolute;left:0;top:100%;z-index:20;width:max-content;max-width:min(34rem,88vw);
 padding:.5rem .7rem;background:#fff;color:#111;border:2px solid #111;border-radius:4px;box-shadow:0 3px 10px rgba(0,0,0,.35);
 font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;white-space:normal;overflow-wrap:anywhere}
.tip>span,.tip>b{display:block}.tn{font-size:1.05em}.tp,.ts{color:var(--muted)}.tv{font-family:ui-monospace,monospace}
details{margin-top:.6rem}summary{cursor:pointer}
.tree{margin:.1rem 0;padding-left:1.2rem;font-size:.9rem}.sec{color:var(--muted);font-size:.85em}
.graph .row{display:flex;flex-wrap:wrap;gap:.6rem}
.box{flex:1 1 15rem;min-width:0;border:2px solid var(--line);border-radius:4px;padding:.4rem .6rem;background:var(--paper)}
.box.ms{border-width:4px}.box.key{flex-basis:11rem}
.bn,.bs{overflow-wrap:anywhere}.bn{font-weight:700}.bv{display:block;font-size:.9rem;overflow-wrap:anywhere}.len{font-size:.8rem;color:var(--muted)}
.bf,.bs,.same{font-size:.85rem}.bs,.same{color:var(--muted)}
.arrow{margin:.4rem 0 .4rem 1rem;font-size:.9rem}
.secret{font-style:italic;border-left:4px solid var(--line);padding-left:.5rem}
.chain{font-size:.9rem}.fp{font-size:.8rem;color:var(--muted);overflow-wrap:anywhere}
table.checks{border-collapse:collapse;width:100%;font-size:.9rem}
.checks caption{text-align:left;font-weight:600}
.checks th,.checks td{border:1px solid var(--line);padding:.2rem .4rem;text-align:left;vertical-align:top}
.good{font-weight:600}.bad{font-weight:700;text-decoration:underline}
@media (max-width:640px){body{font-size:15px}dl{grid-template-columns:1fr}.hex{max-width:none}.rung a{padding-left:.6rem;padding-right:.6rem}
 table.checks,table.checks tbody,table.checks tr,table.checks td{display:block;width:100%}table.checks thead{display:none}table.checks tr{border-top:2px solid var(--line)}}
@media print{.tip{display:none!important}details{display:block}}
`

// pageJS adds keyboard navigation: with a field focused, the arrow keys
// go to the neighbouring field, [ and ] to the neighbouring record, Esc
// leaves. Everything else works without it.
const pageJS = `
(function(){
var fields=Array.prototype.slice.call(document.querySelectorAll('.f'));
var recs=Array.prototype.slice.call(document.querySelectorAll('article.rec'));
function go(el,e){if(el){el.focus();el.scrollIntoView({block:'nearest'});e.preventDefault();}}
document.addEventListener('keydown',function(e){
var t=document.activeElement;
if(!t||!t.classList||!t.classList.contains('f'))return;
var i=fields.indexOf(t);
if(e.key==='ArrowRight'||e.key==='ArrowDown'){go(fields[i+1],e);}
else if(e.key==='ArrowLeft'||e.key==='ArrowUp'){go(fields[i-1],e);}
else if(e.key===']'||e.key==='['){var k=recs.indexOf(t.closest('article.rec'))+(e.key===']'?1:-1);if(k>=0&&k<recs.length){go(recs[k].querySelector('.f'),e);}}
else if(e.key==='Escape'){t.blur();}
});
})();
`
