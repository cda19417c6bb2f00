(function(){
var f=document.getElementById("filters"),rows=document.querySelectorAll("#findings tbody tr[data-sev]"),out=document.getElementById("shown");
if(f&&rows.length){f.hidden=false;
var apply=function(){var want={};f.querySelectorAll("select").forEach(function(s){want[s.name]=s.value});var n=0;
rows.forEach(function(r){var ok=Object.keys(want).every(function(k){return !want[k]||r.dataset[k]===want[k]});r.hidden=!ok;if(ok)n++});
out.textContent=n+" of "+rows.length+" shown"};
f.addEventListener("change",apply);apply()}
window.addEventListener("beforeprint",function(){document.querySelectorAll("details").forEach(function(d){d.open=true})});
})();